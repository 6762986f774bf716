// Files written whole or not at all, and files only their owner may read: the operating
// system's part of it, in one place (POSIX calls, or Win32 on Windows). Errors are errno values
// (Windows' own codes are mapped to the nearest), for file_error_text().
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace cunbo {

enum class FileAccess {
  usual,       // the host's own file (0600 on POSIX; as the folder gives it on Windows)
  owner_only,  // mode 0600; on Windows a protected ACL granting the user alone
};

// Replaces `path` with `bytes` at once: a temp file beside it (created `access` from the start),
// flushed to the disk, renamed over the old one, and (POSIX) the folder flushed. On any failure
// the old file is as it was and no temp file is left. Returns 0 or an errno value.
[[nodiscard]] int replace_file(const std::filesystem::path& path, std::string_view bytes,
                               FileAccess access = FileAccess::usual);
// Renames `from` to `to` unless `to` exists (EEXIST).
[[nodiscard]] int rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to);
// Makes an existing file readable and writable by its owner alone (best effort).
void make_owner_only(const std::filesystem::path& path);
// Whether someone other than the owner (and the system's own accounts, on Windows) may read it.
[[nodiscard]] bool readable_by_others(const std::filesystem::path& path);
// "warn.key_file_open" with the command that makes `path` private, on this system.
[[nodiscard]] std::string readable_by_others_warning(const std::filesystem::path& path);
// std::fopen for `path` (mode "w", "a", "r"…, binary on Windows), not inherited by programs we
// start. Null on failure (errno set).
[[nodiscard]] std::FILE* open_c_file(const std::filesystem::path& path, const char* mode);
// The system's words for an errno value.
[[nodiscard]] std::string file_error_text(int error);

}  // namespace cunbo
