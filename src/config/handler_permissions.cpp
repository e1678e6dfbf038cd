#include "config/handler_permissions.h"

namespace theater::config {

namespace {

std::chrono::milliseconds ms(std::uint64_t value) {
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(value));
}

}  // namespace

ProcessPermissions::ProcessPermissions(const HandlerGrant& grant)
    : programs_(grant.list("allowed_programs")),
      paths_(grant.list("allowed_paths")),
      inherit_env_(grant.list("inherit_env")),
      max_processes_(grant.number("max_processes")),
      max_output_buffer_(grant.number("max_output_buffer")) {}

EnvironmentPermissions::EnvironmentPermissions(const HandlerGrant& grant)
    : vars_(grant.list("allowed_vars")) {}

FilesystemPermissions::FilesystemPermissions(const HandlerGrant& grant)
    : paths_(grant.list("allowed_paths")) {}

TimingPermissions::TimingPermissions(const HandlerGrant& grant)
    : max_sleep_(ms(grant.number("max_sleep_ms"))), min_sleep_(ms(grant.number("min_sleep_ms"))) {}

RandomPermissions::RandomPermissions(const HandlerGrant& grant)
    : max_bytes_(grant.number("max_bytes")) {}

MessageServerPermissions::MessageServerPermissions(const HandlerGrant& grant)
    : request_timeout_(ms(grant.number("request_timeout_ms"))),
      mailbox_size_(grant.number("mailbox_size")) {}

SupervisorPermissions::SupervisorPermissions(const HandlerGrant& grant)
    : max_children_(grant.number("max_children")) {}

}  // namespace theater::config
