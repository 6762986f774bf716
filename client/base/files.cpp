#include "client/base/files.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#ifdef _WIN32
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

#include <vector>
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "client/base/strings.h"

namespace cunbo {

#ifdef _WIN32

namespace {

int errno_from(DWORD code) {
  switch (code) {
    case ERROR_SUCCESS: return 0;
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND: return ENOENT;
    case ERROR_ACCESS_DENIED:
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION: return EACCES;
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS: return EEXIST;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL: return ENOSPC;
    case ERROR_WRITE_PROTECT: return EROFS;
    case ERROR_FILENAME_EXCED_RANGE: return ENAMETOOLONG;
    default: return EIO;
  }
}

int last_error() { return errno_from(GetLastError()); }

// The user this process runs as, as SDDL ("S-1-5-21-…").
std::wstring user_sid_string() {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return {};
  DWORD size = 0;
  GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  std::vector<unsigned char> buffer(size);
  std::wstring result;
  if (size > 0 && GetTokenInformation(token, TokenUser, buffer.data(), size, &size)) {
    const auto* user = reinterpret_cast<const TOKEN_USER*>(buffer.data());
    LPWSTR text = nullptr;
    if (ConvertSidToStringSidW(user->User.Sid, &text)) {
      result = text;
      LocalFree(text);
    }
  }
  CloseHandle(token);
  return result;
}

// A protected DACL (nothing inherited from the folder) granting the user alone everything.
struct OwnerOnlyDescriptor {
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  OwnerOnlyDescriptor() {
    const std::wstring sid = user_sid_string();
    if (sid.empty()) return;
    const std::wstring sddl = L"D:P(A;;FA;;;" + sid + L")";
    ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl.c_str(), SDDL_REVISION_1, &descriptor, nullptr);
  }
  ~OwnerOnlyDescriptor() {
    if (descriptor) LocalFree(descriptor);
  }
  OwnerOnlyDescriptor(const OwnerOnlyDescriptor&) = delete;
  OwnerOnlyDescriptor& operator=(const OwnerOnlyDescriptor&) = delete;
  PACL dacl() const {
    BOOL present = FALSE, defaulted = FALSE;
    PACL acl = nullptr;
    if (!descriptor || !GetSecurityDescriptorDacl(descriptor, &present, &acl, &defaulted) || !present) return nullptr;
    return acl;
  }
};

std::filesystem::path temp_beside(const std::filesystem::path& path) {
  static std::atomic<unsigned> counter{0};
  return path.wstring() + L".tmp-" + std::to_wstring(GetCurrentProcessId()) + L"-" + std::to_wstring(++counter);
}

bool is_own_or_system(PSID sid, PSID user) {
  if (user && EqualSid(sid, user)) return true;
  for (WELL_KNOWN_SID_TYPE known : {WinLocalSystemSid, WinBuiltinAdministratorsSid, WinCreatorOwnerRightsSid}) {
    if (IsWellKnownSid(sid, known)) return true;
  }
  return false;
}

}  // namespace

int replace_file(const std::filesystem::path& path, std::string_view bytes, FileAccess access) {
  const std::filesystem::path temp = temp_beside(path);
  OwnerOnlyDescriptor owner_only;
  SECURITY_ATTRIBUTES attributes{sizeof(SECURITY_ATTRIBUTES), nullptr, FALSE};
  if (access == FileAccess::owner_only) {
    if (!owner_only.descriptor) return EACCES;  // never write a secret readable by others
    attributes.lpSecurityDescriptor = owner_only.descriptor;
  }
  HANDLE file = CreateFileW(temp.c_str(), GENERIC_WRITE, 0, &attributes, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) return last_error();
  int error = 0;
  size_t done = 0;
  while (error == 0 && done < bytes.size()) {
    DWORD wrote = 0;
    const DWORD chunk = static_cast<DWORD>(std::min<size_t>(bytes.size() - done, 1u << 30));
    if (!WriteFile(file, bytes.data() + done, chunk, &wrote, nullptr) || wrote == 0) error = last_error();
    done += wrote;
  }
  if (error == 0 && !FlushFileBuffers(file)) error = last_error();
  if (!CloseHandle(file) && error == 0) error = last_error();
  if (error == 0 && !MoveFileExW(temp.c_str(), path.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
    error = last_error();
  if (error != 0) DeleteFileW(temp.c_str());
  return error;
}

int rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to) {
  return MoveFileExW(from.c_str(), to.c_str(), MOVEFILE_WRITE_THROUGH) ? 0 : last_error();
}

void make_owner_only(const std::filesystem::path& path) {
  OwnerOnlyDescriptor owner_only;
  PACL dacl = owner_only.dacl();
  if (!dacl) return;
  std::wstring name = path.wstring();
  SetNamedSecurityInfoW(name.data(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                        nullptr, nullptr, dacl, nullptr);
}

bool readable_by_others(const std::filesystem::path& path) {
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (GetNamedSecurityInfoW(path.c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr, &dacl,
                            nullptr, &descriptor) != ERROR_SUCCESS) {
    return false;
  }
  bool others = dacl == nullptr;  // no DACL at all: everyone may
  PSID user = nullptr;
  std::vector<unsigned char> sid_buffer;
  if (const std::wstring text = user_sid_string(); !text.empty()) {
    PSID converted = nullptr;
    if (ConvertStringSidToSidW(text.c_str(), &converted)) {
      sid_buffer.assign(static_cast<unsigned char*>(converted), static_cast<unsigned char*>(converted) + GetLengthSid(converted));
      LocalFree(converted);
      user = sid_buffer.data();
    }
  }
  constexpr DWORD kReading = FILE_READ_DATA | GENERIC_READ | GENERIC_ALL;
  for (DWORD i = 0; dacl && !others && i < dacl->AceCount; ++i) {
    void* ace = nullptr;
    if (!GetAce(dacl, i, &ace)) continue;
    const auto* header = static_cast<const ACE_HEADER*>(ace);
    if (header->AceType != ACCESS_ALLOWED_ACE_TYPE || (header->AceFlags & INHERIT_ONLY_ACE) != 0) continue;
    auto* allowed = static_cast<ACCESS_ALLOWED_ACE*>(ace);
    if ((allowed->Mask & kReading) != 0 && !is_own_or_system(&allowed->SidStart, user)) others = true;
  }
  LocalFree(descriptor);
  return others;
}

std::FILE* open_c_file(const std::filesystem::path& path, const char* mode) {
  std::wstring wide_mode(mode, mode + std::strlen(mode));
  wide_mode += L"bN";  // binary (our text is UTF-8 with \n), not inherited
  return _wfopen(path.c_str(), wide_mode.c_str());
}

std::string readable_by_others_warning(const std::filesystem::path& path) {
  const std::string name = path.string();
  return tr("warn.key_file_open_windows", name, "icacls \"" + name + "\" /inheritance:r /grant:r %USERNAME%:F");
}

#else

namespace {

std::string temp_pattern(const std::filesystem::path& path) { return path.string() + ".XXXXXX"; }

void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // best effort: the rename is durable once the directory is
  ::close(fd);
}

}  // namespace

int replace_file(const std::filesystem::path& path, std::string_view bytes, FileAccess /*access*/) {
  // Caches and secrets alike are the host's own: 0600 either way.
  std::string temp = temp_pattern(path);
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);  // mode 0600 from the start
  if (fd < 0) return errno;
  size_t done = 0;
  int error = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n < 0 ? errno : EIO;
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && std::rename(temp.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temp.c_str());
    return error;
  }
  sync_directory(path.parent_path());
  return 0;
}

// renameat2(RENAME_NOREPLACE) where the file system has it, else a look first (a race we
// accept where it has not).
int rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return errno;
  std::error_code ec;
  if (std::filesystem::exists(to, ec)) return EEXIST;
  return std::rename(from.c_str(), to.c_str()) == 0 ? 0 : errno;
}

void make_owner_only(const std::filesystem::path& path) { ::chmod(path.c_str(), 0600); }

bool readable_by_others(const std::filesystem::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
}

std::FILE* open_c_file(const std::filesystem::path& path, const char* mode) {
  return std::fopen(path.c_str(), (std::string(mode) + "e").c_str());  // e: O_CLOEXEC
}

std::string readable_by_others_warning(const std::filesystem::path& path) {
  return tr("warn.key_file_open", path.string(), path.string());
}

#endif

std::string file_error_text(int error) { return std::strerror(error); }

}  // namespace cunbo
