"""Bad Protobuf input through the command line: images (binary and JSON) that are cut, random or not images,
.proto files protoc refuses, imports that are missing or leave the schema's folder, buf.yaml / buf.work.yaml that
are malformed, name unknown rules or versions, or point outside the module. Each ends with exit code 2 and one line
naming the file (and line, where there is one) and the problem; never a traceback, never a hang."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from apidiff.cli import main
from apidiff.formats.protobuf.compile import compile_sources

SMALL = 'syntax = "proto3";\npackage acme.v1;\nmessage User {\n  string id = 1;\n  int32 age = 2;\n}\n'


def fails(path: Path | str, *words: str) -> str:
    """Run ``apidiff diff path path``: exit 2 and one line on stderr that names the file and has ``words``."""
    result = CliRunner().invoke(main, ["diff", str(path), str(path), "--no-config"], catch_exceptions=False)
    err = result.stderr
    assert result.exit_code == 2, (result.exit_code, result.stdout[-500:], err[-2000:])
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[-2000:]
    line = lines[0]
    assert line.startswith("apidiff: error: "), line
    assert "Traceback" not in err and "internal error" not in line, line
    for word in words:
        assert word in line, (word, line)
    return line


def image(tmp_path: Path) -> bytes:
    """A real binary image (``FileDescriptorSet`` with source info) of a small file, built by protoc."""
    src = tmp_path / "image-src"
    src.mkdir()
    (src / "user.proto").write_text(SMALL)
    return compile_sources([src], ["user.proto"])


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def module(folder: Path, config: str | bytes, name: str = "buf.yaml") -> Path:
    write(folder / "acme" / "v1" / "user.proto", SMALL)
    write(folder / name, config)
    return folder


# 1. binary images -------------------------------------------------------------------------------------------------

def test_a_real_image_loads(tmp_path: Path) -> None:  # the baseline the cut images are made from
    path = write(tmp_path / "whole.binpb", image(tmp_path))
    result = CliRunner().invoke(main, ["diff", str(path), str(path), "--no-config"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr


def test_a_truncated_image(tmp_path: Path) -> None:
    data = image(tmp_path)
    path = write(tmp_path / "half.binpb", data[: len(data) // 2])
    fails(path, f"{path}: ", "not a valid Protobuf image", "truncated or corrupt")


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes(tmp_path: Path, seed: int) -> None:
    import random

    path = write(tmp_path / "random.binpb", random.Random(seed).randbytes(512))
    fails(path, f"{path}: ", "Protobuf image")


def test_a_zero_length_image(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.binpb", b"")
    fails(path, f"{path}: ", "empty file", "not a Protobuf image")


def test_an_image_nesting_past_the_decoders_limit(tmp_path: Path) -> None:
    from google.protobuf import descriptor_pb2 as d

    fds = d.FileDescriptorSet()
    m = fds.file.add(name="deep.proto", package="p", syntax="proto3").message_type.add(name="M0")
    for i in range(1, 150):
        m = m.nested_type.add(name=f"M{i}")
    path = write(tmp_path / "deep.binpb", fds.SerializeToString())
    fails(path, f"{path}: ", "nests more than 100 levels")


def test_an_image_whose_strings_are_not_utf8(tmp_path: Path) -> None:  # proto2 strings: the library gives bytes
    data = image(tmp_path).replace(b"User", b"Us\xffr")
    path = write(tmp_path / "bytes.binpb", data)
    fails(path, f"{path}: ", "not UTF-8")


# 2. JSON images ---------------------------------------------------------------------------------------------------

def test_a_json_image_that_is_not_json(tmp_path: Path) -> None:
    path = write(tmp_path / "image.json", '{"file": [ {"name": "a.proto",\n  ')
    fails(path, f"{path}:2:", "invalid JSON")


def test_an_image_file_holding_broken_json(tmp_path: Path) -> None:
    path = write(tmp_path / "image.binpb", '{"file": [ {')
    fails(path, f"{path}:1:13: ", "invalid JSON")


@pytest.mark.parametrize(("content", "words"), [
    ('{"hello": "world"}', 'a JSON image is an object with a "file" list'),
    ('{"file": 3}', 'a JSON image is an object with a "file" list'),
    ('{"file": []}', "no file descriptors"),
])
def test_an_image_file_holding_json_that_is_not_an_image(tmp_path: Path, content: str, words: str) -> None:
    path = write(tmp_path / "image.binpb", content)
    fails(path, f"{path}: ", "not a Protobuf image", words)


@pytest.mark.parametrize(("content", "words"), [
    ('{"file": [{}]}', "file descriptor 1 has no name"),
    ('{"file": ["x"]}', "file descriptor 1 has no name"),
    ('{"file": [{"name": 5}]}', "(at file.name)"),
    ('{"file": [{"name": "a.proto", "messageType": [{"name": "M", "field": [{"name": "x", "number": "zz"}]}]}]}',
     "(at file.messageType.field.number)"),
    ('{"file": [{"name": "a.proto", "messageType": [' + '{"name": "M", "nestedType": [' * 150 + "]}" * 150 + "]}]}",
     "too deep"),
])
def test_a_json_image_with_wrong_content(tmp_path: Path, content: str, words: str) -> None:
    path = write(tmp_path / "image.json", content)
    line = fails(path, f"{path}: ", "not a Protobuf image", words)
    assert len(line) < 400, line  # json_format's "Failed to parse ... field:" chain is shortened


def test_a_json_image_nesting_past_the_json_decoder(tmp_path: Path) -> None:
    path = write(tmp_path / "image.json", '{"file": [' + '{"a":' * 50_000 + "1" + "}" * 50_000 + "]}")
    fails(path, f"{path}: ", "nests too deeply")


# 3. syntax errors -------------------------------------------------------------------------------------------------

def test_a_syntax_error_has_protocs_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.proto", 'syntax = "proto3";\npackage a;\nmessage M {\n  string a = 1\n}\n')
    fails(path, f"{path}:5:1: ", "Expected")


def test_an_undefined_type_has_its_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.proto", 'syntax = "proto3";\npackage a;\nmessage M { strin a = 1; }\n')
    fails(path, f"{path}:3:13: ", '"strin" is not defined')


def test_a_syntax_error_in_a_folder_names_the_file(tmp_path: Path) -> None:
    write(tmp_path / "api" / "ok.proto", SMALL.replace("acme.v1", "ok"))
    bad = write(tmp_path / "api" / "sub" / "bad.proto", 'syntax = "proto3";\nmessage M { int32 = 1; }\n')
    fails(tmp_path / "api", f"{bad}:2:19: ", "Expected field name")


# 4. missing import ------------------------------------------------------------------------------------------------

def test_a_missing_import(tmp_path: Path) -> None:
    path = write(tmp_path / "a.proto", 'syntax = "proto3";\npackage a;\nimport "nothere.proto";\n')
    fails(path, f"{path}:3:1: ", 'import "nothere.proto" not found')


def test_an_import_of_a_file_with_errors_reports_that_file(tmp_path: Path) -> None:
    write(tmp_path / "b.proto", 'syntax = "proto3";\nmessage B { oops }\n')
    path = write(tmp_path / "a.proto", 'syntax = "proto3";\nimport "b.proto";\n')
    fails(path, "b.proto:2:", "Expected")


# 5. imports outside the folder ------------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["../secret.proto", "../../../../../../../etc/passwd", "ABSOLUTE",
                                    "sub/../../secret.proto"])
def test_an_import_outside_the_folder_is_refused(tmp_path: Path, target: str) -> None:
    secret = write(tmp_path / "secret.proto", 'syntax = "proto3";\npackage s;\nmessage S {}\n')
    target = str(secret) if target == "ABSOLUTE" else target
    path = write(tmp_path / "api" / "a.proto", f'syntax = "proto3";\npackage a;\nimport "{target}";\n')
    fails(path, f"{path}:3:1: ", f'import "{target}" is outside the schema\'s folder')
    fails(tmp_path / "api", f"{path}:3:1: ", "outside the schema's folder")


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="needs symlinks")
def test_an_import_through_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "elsewhere" / "secret.proto", 'syntax = "proto3";\npackage s;\nmessage S { int32 = 1; }\n')
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "data").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    path = write(tmp_path / "api" / "a.proto", 'syntax = "proto3";\npackage a;\nimport "data/secret.proto";\n')
    line = fails(path, "data/secret.proto", "links outside the schema folder")
    assert "int32" not in line and ":3:" not in line  # nothing of the other file is shown
    write(tmp_path / "elsewhere" / "secret.proto", 'syntax = "proto3";\npackage s;\nmessage S {}\n')
    fails(path, "data/secret.proto", "links outside the schema folder")  # it compiles: still refused


@pytest.mark.parametrize(("name", "config", "where", "words"), [
    ("buf.yaml", "version: v2\nmodules:\n  - path: ../elsewhere\n", ":3:", "module path '../elsewhere' is outside"),
    ("buf.yaml", "version: v2\nmodules:\n  - path: ABSOLUTE\n", ":3:", "is outside the folder of buf.yaml"),
    ("buf.yaml", "version: v1beta1\nbuild:\n  roots:\n    - ../elsewhere\n", ":4:", "root '../elsewhere' is outside"),
    ("buf.work.yaml", "version: v1\ndirectories:\n  - acme\n  - ../elsewhere\n", ":4:",
     "directory '../elsewhere' is outside"),
])
def test_module_roots_outside_the_module_are_refused(tmp_path: Path, name: str, config: str, where: str,
                                                     words: str) -> None:
    write(tmp_path / "elsewhere" / "x.proto", 'syntax = "proto3";\npackage x;\n')
    folder = module(tmp_path / "mod", config.replace("ABSOLUTE", str(tmp_path / "elsewhere")), name)
    fails(folder, f"{folder / name}{where}", words)


# 6. unknown breaking rules ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("config", "line"), [
    ("version: v2\nbreaking:\n  use:\n    - FILE\n    - FIELD_NO_DELTE\n", 5),
    ("version: v1\nbreaking:\n  use: [FILE]\n  except:\n    - FIELD_NO_DELTE\n", 5),
    ("version: v1\nbreaking:\n  use: [FILE, FIELD_NO_DELTE]\n", 3),
    ("version: v2\nbreaking:\n  ignore_only:\n    FIELD_NO_DELTE: [acme]\n", 4),
    ("version: v2\nmodules:\n  - path: .\n    breaking:\n      except: [FIELD_NO_DELTE]\n", 5),
])
def test_an_unknown_breaking_rule_names_the_line_and_the_nearest_rule(tmp_path: Path, config: str,
                                                                      line: int) -> None:
    folder = module(tmp_path / "mod", config)
    fails(folder, f"{folder / 'buf.yaml'}:{line}:", "unknown buf rule or category 'FIELD_NO_DELTE'",
          "did you mean FIELD_NO_DELETE?")


def test_an_unknown_rule_far_from_any_has_no_suggestion(tmp_path: Path) -> None:
    folder = module(tmp_path / "mod", "version: v2\nbreaking:\n  use: [NOTHING_LIKE_IT]\n")
    line = fails(folder, f"{folder / 'buf.yaml'}:3:", "'NOTHING_LIKE_IT'")
    assert "did you mean" not in line


def test_an_unknown_key_in_breaking(tmp_path: Path) -> None:
    folder = module(tmp_path / "mod", "version: v2\nbreaking:\n  use: [FILE]\n  excpet: [FIELD_NO_DELETE]\n")
    fails(folder, f"{folder / 'buf.yaml'}:4:", "unknown key breaking.excpet", "did you mean except?")


@pytest.mark.parametrize(("config", "line", "words"), [
    ("version: v2\nbreaking:\n  use: FILE\n", 3, "breaking.use must be a list of strings"),
    ("version: v2\nbreaking: [FILE]\n", 2, "breaking must be a mapping"),
    ("version: v2\nbreaking:\n  ignore_only:\n    FIELD_NO_DELETE: 5\n", 4,
     "breaking.ignore_only.FIELD_NO_DELETE must be a list of paths"),
    ("version: v2\nmodules: [acme]\n", 2, "each module needs a path"),
    ("- a\n- b\n", 1, "buf.yaml must be a mapping"),
    ('version: v2\nmodules:\n  - path: "a\\0b"\n', 3, "module path must be a folder name"),
    ('version: v1\nbuild:\n  excludes: ["x\\0y"]\n', 3, "build.excludes must be a list of paths"),
    ("version: v1\nbuild:\n  excludes: acme\n", 3, "build.excludes must be a list of paths"),
])
def test_a_breaking_section_of_the_wrong_shape(tmp_path: Path, config: str, line: int, words: str) -> None:
    folder = module(tmp_path / "mod", config)
    fails(folder, f"{folder / 'buf.yaml'}:{line}:", words)


def test_an_unknown_rule_in_profile(tmp_path: Path) -> None:
    path = write(tmp_path / "a.proto", SMALL)
    result = CliRunner().invoke(main, ["diff", str(path), str(path), "--no-config", "--profile", "WIRE_JSN"],
                                catch_exceptions=False)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "--profile" in result.stderr and "did you mean WIRE_JSON?" in result.stderr


# 7. invalid YAML, unknown version ---------------------------------------------------------------------------------

def test_a_buf_yaml_that_is_not_yaml(tmp_path: Path) -> None:
    folder = module(tmp_path / "mod", "version: v2\nbreaking: [unclosed\n")
    fails(folder, f"{folder / 'buf.yaml'}:3:", "invalid YAML")


def test_a_buf_yaml_that_is_not_text(tmp_path: Path) -> None:
    folder = module(tmp_path / "mod", b"version: \xff\xfe\n")
    fails(folder, f"{folder / 'buf.yaml'}:1:10: ", "not UTF-8")


def test_a_buf_yaml_next_to_a_file_is_checked_too(tmp_path: Path) -> None:
    folder = module(tmp_path / "mod", "version: v2\nbreaking: [unclosed\n")
    fails(folder / "acme" / "v1" / "user.proto", "buf.yaml:3:", "invalid YAML")


@pytest.mark.parametrize(("name", "config", "words"), [
    ("buf.yaml", "version: v9\n", "unknown version 'v9' (buf knows v1beta1, v1, v2)"),
    ("buf.yaml", "version: 2\n", "unknown version 2"),
    ("buf.work.yaml", "version: v2\ndirectories: [acme]\n", "unknown version 'v2' (buf knows v1)"),
])
def test_an_unknown_version(tmp_path: Path, name: str, config: str, words: str) -> None:
    folder = module(tmp_path / "mod", config, name)
    fails(folder, f"{folder / name}:1:", words)


# 8. no .proto files -----------------------------------------------------------------------------------------------

def test_a_folder_without_proto_files(tmp_path: Path) -> None:
    # there is no --format protobuf (--format is the report's): a folder is claimed by its files or its buf.yaml
    write(tmp_path / "empty" / "README.md", "nothing here\n")
    fails(tmp_path / "empty", f"{tmp_path / 'empty'}: ", "folder holds no", ".proto")


def test_a_buf_module_without_proto_files(tmp_path: Path) -> None:
    write(tmp_path / "mod" / "buf.yaml", "version: v2\n")
    fails(tmp_path / "mod", f"{tmp_path / 'mod'}: ", "folder holds no .proto file")


def test_a_module_path_that_does_not_exist(tmp_path: Path) -> None:
    folder = module(tmp_path / "mod", "version: v2\nmodules:\n  - path: nothere\n")
    fails(folder, "nothere", "module folder does not exist")


# 9. numbers protoc refuses ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "where", "words"), [
    ("string a = 1; string b = 1;", ":3:38: ", "Field number 1 has already been used"),
    ("string a = 536870912;", ":3:24: ", "cannot be greater than 536870911"),
    ("string a = 0;", ":3:24: ", "must be positive"),
    ("string a = -1;", ":3:24: ", "Expected field number"),
    ("string a = 19000;", ": ", "19000 through 19999 are reserved"),  # protoc gives this one no line
    ("string a = 1; string a = 2;", ":3:34: ", '"a" is already defined'),
])
def test_numbers_protoc_refuses(tmp_path: Path, body: str, where: str, words: str) -> None:
    path = write(tmp_path / "n.proto", f'syntax = "proto3";\npackage a;\nmessage M {{ {body} }}\n')
    fails(path, f"{path}{where}", words)


def test_a_duplicate_enum_number_without_allow_alias(tmp_path: Path) -> None:
    path = write(tmp_path / "e.proto", 'syntax = "proto3";\npackage a;\nenum E {\n  A = 0;\n  B = 0;\n}\n')
    fails(path, f"{path}:5:", "allow_alias")


# 10. deep and big -------------------------------------------------------------------------------------------------

def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The command line in a child process: the timeout is the hang detector."""
    return subprocess.run([sys.executable, "-m", "apidiff.cli", "diff", *args, "--no-config"],
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_200_levels_of_nesting_are_refused_quickly(tmp_path: Path) -> None:
    path = write(tmp_path / "deep.proto",
                 'syntax = "proto3";\npackage a;\n' + "message M { " * 200 + "string x = 1;" + " }" * 200 + "\n")
    start = time.monotonic()
    proc = cli(str(path), str(path), timeout=60)
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"apidiff: error: {path}:3:"), proc.stderr[-2000:]
    assert "recursion limit" in lines[0]
    assert time.monotonic() - start < 30


def test_a_big_file_with_nesting_protoc_accepts_is_compared(tmp_path: Path) -> None:
    lines = ['syntax = "proto3";', "package big;"]
    lines += [f"message M{i} {{ string a = 1; repeated M{i} b = 2; }}" for i in range(2000)]
    lines.append("message D { " * 30 + "int32 x = 1;" + " }" * 30)
    path = write(tmp_path / "big.proto", "\n".join(lines) + "\n")
    proc = cli(str(path), str(path), timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "no changes" in proc.stdout


def test_a_subprocess_run_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    data = image(tmp_path)
    path = write(tmp_path / "half.binpb", data[: len(data) // 2])
    proc = cli(str(path), str(path), timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"apidiff: error: {path}: not a valid Protobuf image (FileDescriptorSet): truncated or corrupt"]
