#include "handlers/message_server/message_records.h"

#include "chain/cbor_writer.h"

namespace theater::handlers {
namespace {

std::size_t size_hint(std::initializer_list<CborField> fields) {
  std::size_t bytes = 8;
  for (const CborField& field : fields) {
    bytes += field.key.size() + 9;
    if (auto* text = std::get_if<std::string_view>(&field.value)) bytes += text->size();
    if (auto* data = std::get_if<std::span<const std::uint8_t>>(&field.value))
      bytes += data->size();
  }
  return bytes;
}

void write_fields(chain::CborWriter& out, std::initializer_list<CborField> fields) {
  out.map(fields.size());
  for (const CborField& field : fields) {
    out.text(field.key);
    std::visit(
        [&](const auto& value) {
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, std::string_view>) {
            out.text(value);
          } else if constexpr (std::is_same_v<T, std::uint64_t>) {
            out.uint(value);
          } else {
            out.bytes(value);
          }
        },
        field.value);
  }
}

}  // namespace

std::vector<std::uint8_t> cbor_map(std::initializer_list<CborField> fields) {
  chain::CborWriter out(size_hint(fields));
  write_fields(out, fields);
  return out.take();
}

std::vector<std::uint8_t> delivery_call_data(std::string_view export_name, std::string_view from,
                                             std::span<const std::uint8_t> cause,
                                             std::initializer_list<CborField> params) {
  chain::CborWriter out(size_hint(params) + export_name.size() + from.size() + cause.size() + 40);
  // A sender outside any actor has no chain: its deliveries name no cause.
  if (cause.empty()) {
    out.map(3);
  } else {
    out.map(4).text("cause").bytes(cause);
  }
  out.text("export").text(export_name).text("from").text(from);
  out.text("params");
  write_fields(out, params);
  return out.take();
}

}  // namespace theater::handlers
