#!/usr/bin/env python3
"""Self-test of tools/check_layering.py: the checker passes the clean fixture
tree (fixture/src) and fails, naming file:line, the dependency and the rule,
for each kind of violation written into a copy of it. Without this test a
checker that never fails would look just like a clean tree.

Usage: check_layering_test.py CHECKER   (run by CTest as layering_self_test)
"""

import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

FIXTURE = pathlib.Path(__file__).resolve().parent / "fixture" / "src"
CHECKER = None  # set from argv


class CheckLayeringTest(unittest.TestCase):
    def setUp(self):
        self.work = pathlib.Path(tempfile.mkdtemp(prefix="layering-"))
        self.src = self.work / "src"
        shutil.copytree(FIXTURE, self.src)

    def tearDown(self):
        shutil.rmtree(self.work)

    def write(self, path, text):
        (self.src / path).write_text(text, encoding="utf-8")

    def append(self, path, line):
        """Appends one line; returns its number, for the expected messages."""
        with open(self.src / path, "a", encoding="utf-8") as out:
            out.write(line)
        return len((self.src / path).read_text(encoding="utf-8").splitlines())

    def replace(self, path, old, new):
        text = (self.src / path).read_text(encoding="utf-8")
        self.assertIn(old, text)
        self.write(path, text.replace(old, new))

    def check(self):
        done = subprocess.run([sys.executable, CHECKER, str(self.src)], capture_output=True,
                              text=True, check=False)
        return done.returncode, done.stdout + done.stderr

    def assert_fails_with(self, *expected):
        code, output = self.check()
        self.assertEqual(code, 1, output)
        for text in expected:
            self.assertIn(text, output)

    def test_clean_fixture_passes(self):
        code, output = self.check()
        self.assertEqual(code, 0, output)
        self.assertIn("layering: ok", output)

    def test_include_across_layers_fails(self):
        line = self.append("common/base.cpp", '#include "engine/api.h"\n')
        self.assert_fails_with(f'src/common/base.cpp:{line}: includes "engine/api.h" (engine/)',
                               "common/ depends on: nothing (src/common/README.md)")

    def test_handler_including_another_handler_fails_even_when_declared(self):
        self.replace("handlers/alpha/README.md", "Depends on: `handler_api/`",
                     "Depends on: `handler_api/`, `handlers/beta/`")
        line = self.append("handlers/alpha/alpha.cpp", '#include "handlers/beta/beta.h"\n')
        self.assert_fails_with(f'src/handlers/alpha/alpha.cpp:{line}: includes "handlers/beta/beta.h"',
                               "a handler never depends on another handler")

    def test_handler_linking_another_handler_fails(self):
        self.replace("handlers/alpha/CMakeLists.txt", "PUBLIC fx_handler_api",
                     "PUBLIC fx_handler_api PRIVATE fx_handler_beta")
        self.assert_fails_with("src/handlers/alpha/CMakeLists.txt:2: fx_handler_alpha links "
                               "fx_handler_beta (handlers/beta/)",
                               "a handler never depends on another handler")

    def test_undeclared_library_include_fails(self):
        line = self.append("app/main.cpp", "#include <v8.h>\n")
        self.assert_fails_with(f"src/app/main.cpp:{line}: includes <v8.h> (library V8)",
                               "app/ uses libraries: CLI11 (src/app/README.md)")

    def test_library_outside_its_sub_layer_fails(self):
        line = self.append("engine/api.cpp", "#include <v8.h>\n")
        self.assert_fails_with(f"src/engine/api.cpp:{line}: includes <v8.h> (library V8)",
                               "engine/ uses libraries: nothing")

    def test_link_across_layers_fails(self):
        line = self.append("common/CMakeLists.txt",
                           "target_link_libraries(fx_common PRIVATE fx_engine)\n")
        self.assert_fails_with(f"src/common/CMakeLists.txt:{line}: fx_common links fx_engine (engine/)",
                               "common/ depends on: nothing")

    def test_public_link_no_header_needs_fails(self):
        self.replace("handler_api/CMakeLists.txt", "PUBLIC fx_common fx_engine",
                     "PUBLIC fx_common fx_engine v8::v8")
        self.replace("handler_api/README.md", "Libraries: nothing", "Libraries: V8")
        self.assert_fails_with("src/handler_api/CMakeLists.txt:2: fx_handler_api links v8::v8 PUBLIC, "
                               "but none of its headers includes it: link it PRIVATE")

    def test_include_without_a_direct_link_fails(self):
        self.replace("handlers/beta/README.md", "Depends on: `handler_api/`",
                     "Depends on: `handler_api/`, `common/`")
        line = self.append("handlers/beta/beta.cpp", '#include "common/base.h"\n')
        self.assert_fails_with(f'src/handlers/beta/beta.cpp:{line}: includes "common/base.h", but '
                               "src/handlers/beta/CMakeLists.txt does not link the target of common/")

    def test_declared_cycle_fails(self):
        self.replace("common/README.md", "Depends on: nothing", "Depends on: `handler_api/`")
        self.assert_fails_with("the declared dependencies make a cycle: common/ -> handler_api/ -> common/")

    def test_folder_without_declaration_fails(self):
        (self.src / "extra").mkdir()
        self.write("extra/thing.cpp", '#include "common/base.h"\n')
        self.assert_fails_with("src/extra/ is in no layer")

    def test_unknown_entry_is_a_usage_error(self):
        self.replace("app/README.md", "Libraries: CLI11", "Libraries: CLI11, Boost")
        code, output = self.check()
        self.assertEqual(code, 2, output)
        self.assertIn("src/app/README.md:4: unknown library 'Boost'", output)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    CHECKER = sys.argv.pop(1)
    unittest.main(verbosity=2)
