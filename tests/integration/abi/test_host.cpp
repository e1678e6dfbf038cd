#include "test_host.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "abi/engine_binding.h"

namespace theater::abi::testing {
namespace {

TestHost& host_of(wasm::HostCall& call) {
  return *static_cast<TestHost*>(call.user_data());
}

template <class Sig, class F>
Status add(wasm::HostImports& imports, const char* name, F fn) {
  return imports.add(host_function<Sig>(kHostModule, name, std::move(fn)));
}

std::shared_ptr<const wasm::HostImports> build_imports() {
  auto imports = std::make_shared<wasm::HostImports>();
  const Status added[] = {
      add<sig::Log>(*imports, "log",
                    [](wasm::HostCall& call, std::string message) {
                      TestHost& host = host_of(call);
                      host.calls++;
                      host.logs.push_back(std::move(message));
                    }),
      add<sig::SumU32s>(*imports, "sum-u32s",
                        [](wasm::HostCall& call, const std::vector<uint32_t>& values) {
                          host_of(call).calls++;
                          uint64_t sum = 0;
                          for (uint32_t v : values) sum += v;
                          return sum;
                        }),
      add<sig::Greet>(*imports, "greet",
                      [](wasm::HostCall& call, const std::string& name) {
                        host_of(call).calls++;
                        return "hello, " + name;
                      }),
      add<sig::Echo<std::vector<Item>>>(*imports, "reverse-items",
                                        [](wasm::HostCall& call, std::vector<Item> items) {
                                          TestHost& host = host_of(call);
                                          host.calls++;
                                          host.items_seen = items;
                                          std::reverse(items.begin(), items.end());
                                          for (Item& item : items) {
                                            std::reverse(item.b.begin(), item.b.end());
                                          }
                                          return items;
                                        }),
      add<sig::EchoSpilled>(*imports, "transform-spilled",
                            [](wasm::HostCall& call, auto... values) {
                              host_of(call).calls++;
                              return TestHost::transform(Spilled{std::move(values)...});
                            }),
      add<sig::Echo<sig::ResultShape>>(*imports, "check-shape",
                                       [](wasm::HostCall& call, sig::ResultShape value) {
                                         host_of(call).calls++;
                                         return TestHost::check(std::move(value));
                                       }),
      add<sig::AddU64>(*imports, "add-u64",
                       [](wasm::HostCall& call, uint64_t a, uint64_t b) {
                         host_of(call).calls++;
                         return a + b;
                       }),
      wasi::add_wasi_imports(*imports, [](wasm::HostCall& call) { return &host_of(call).wasi; }),
  };
  for (const Status& status : added) {
    if (!status.ok()) {
      std::fprintf(stderr, "test host imports: %s\n", status.error().message.c_str());
      std::abort();
    }
  }
  return imports;
}

}  // namespace

std::shared_ptr<const wasm::HostImports> TestHost::imports() {
  static const std::shared_ptr<const wasm::HostImports> shared = build_imports();
  return shared;
}

Spilled TestHost::transform(Spilled values) {
  auto& [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o] = values;
  ++a, ++b, ++c, ++d, ++e, ++f, ++g, ++h;
  i += 1;
  j += 1;
  k.value += 1;
  l = !l;
  m += "!";
  n.push_back(0xFF);
  o = o ? *o + 1 : 0;
  return values;
}

sig::ResultShape TestHost::check(sig::ResultShape value) {
  using R = sig::ResultShape;
  if (value.is_err()) return R::ok(Shape(std::in_place_type<std::string>, value.error()));
  const Shape& shape = value.value();
  if (const auto* num = std::get_if<double>(&shape)) return R::ok(Shape(*num * 2));
  if (const auto* text = std::get_if<std::string>(&shape)) return R::err(*text);
  return value;
}

}  // namespace theater::abi::testing
