// Damages a stored event the way an attacker with write access to
// $THEATER_HOME would: one byte of its data, in place in the event file.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "chain/event_log.h"

namespace theater::test_support {

inline void flip_stored_data_byte(const std::filesystem::path& db_path, const std::string& actor,
                                  uint64_t seq) {
  auto reader = chain::EventLogReader::open(db_path);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto where = (*reader)->locate_data(actor, seq);
  ASSERT_TRUE(where.ok()) << where.error().message;
  ASSERT_GT(where->length, 0u);
  std::FILE* file = std::fopen(where->file.c_str(), "r+b");
  ASSERT_NE(file, nullptr) << where->file;
  const auto at = static_cast<long>(where->offset + where->length / 2);
  ASSERT_EQ(std::fseek(file, at, SEEK_SET), 0);
  const int byte = std::fgetc(file);
  ASSERT_NE(byte, EOF);
  ASSERT_EQ(std::fseek(file, at, SEEK_SET), 0);
  ASSERT_NE(std::fputc(byte ^ 0x20, file), EOF);
  ASSERT_EQ(std::fclose(file), 0);
}

}  // namespace theater::test_support
