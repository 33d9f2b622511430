namespace py acme.users
namespace java com.acme.users

enum Status {
  ACTIVE = 1,
  SUSPENDED = 2,
}

struct User {
  1: required i64 id,
  2: string email_address,
  3: optional i64 age,
  4: Status status = Status.ACTIVE,
  5: set<string> tags,
  6: optional string display_name,
}

exception NotFound {
  1: string message,
}

service Users {
  User get(1: i64 id, 2: required bool include_deleted) throws (1: NotFound missing),
  list<User> search(1: string query, 2: i32 limit),
  void touch(1: i64 id),
}
