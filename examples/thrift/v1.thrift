namespace py acme.users
namespace java com.acme.users

enum Status {
  ACTIVE = 1,
  SUSPENDED = 2,
  DELETED = 3,
}

struct User {
  1: required i64 id,
  2: string email,
  3: optional i32 age,
  4: Status status = Status.ACTIVE,
  5: list<string> tags,
}

exception NotFound {
  1: string message,
}

service Users {
  User get(1: i64 id) throws (1: NotFound missing),
  list<User> search(1: string query, 2: i32 limit),
  oneway void touch(1: i64 id),
}
