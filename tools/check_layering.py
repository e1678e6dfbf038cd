#!/usr/bin/env python3
"""Checks that the code under src/ keeps the layering its READMEs declare.

Each src/<folder>/README.md declares its layer in two lines:

    Depends on: common/, wasm/, wasm/v8/v8_engine.h
    Libraries: nlohmann-json, asio

Entries are folders of src/ (ending in "/") or single headers of them;
"nothing" declares none. A README may declare sub-layers of its folder, which
are layers of their own: "Depends on (os/): ..." and "Libraries (os/): ...".
A file belongs to the deepest layer that contains it.

The check reads every #include in src/** and every target_link_libraries in
src/**/CMakeLists.txt and fails, naming file:line, the dependency and the rule,
when one crosses the declared layering, when a handler depends on another
handler, on actor/ or on runtime/ (DESIGN.md, whatever a README says), when a
declared dependency makes a cycle, or when a target links something PUBLIC
that none of its headers includes (it should then be PRIVATE).

Usage: check_layering.py [SRC_DIR]   (default: the src/ beside tools/)
Exit status: 0 clean, 1 violations found, 2 usage or parse errors.
"""

from __future__ import annotations

import dataclasses
import pathlib
import re
import sys

# Third-party libraries by the name READMEs use: how their headers are
# included (a prefix of the <...> path) and the CMake targets that link them.
LIBRARIES = {
    "V8": (("v8.h", "v8-", "libplatform/"), ("v8::v8",)),
    "nlohmann-json": (("nlohmann/",), ("nlohmann_json::nlohmann_json",)),
    # Boost.Asio, and Boost.Beast built on it: one CMake target, `asio`.
    "asio": (("boost/asio/", "boost/asio.hpp", "boost/beast/", "boost/beast.hpp", "boost/system/"), ("asio",)),
    "spdlog": (("spdlog/",), ("spdlog::spdlog",)),
    "toml++": (("toml++/",), ("PkgConfig::TOMLPLUSPLUS",)),
    "CLI11": (("CLI/",), ("CLI11::CLI11",)),
    "OpenSSL": (("openssl/",), ("OpenSSL::Crypto", "OpenSSL::SSL")),
    "SQLite": (("sqlite3.h",), ("SQLite::SQLite3",)),
    "jemalloc": (("jemalloc/",), ("theater_malloc",)),
}
# Link items that are the platform, not a dependency anyone declares.
SYSTEM_LINK_ITEMS = {"Threads::Threads", "dl", "rt", "m", "pthread"}
LINK_KEYWORDS = {"PUBLIC", "PRIVATE", "INTERFACE"}
SOURCE_SUFFIXES = {".h", ".hpp", ".cpp", ".cc", ".c", ".inc"}
HEADER_SUFFIXES = {".h", ".hpp", ".inc"}

DECLARATION = re.compile(r"^(Depends on|Libraries)(?: \(([^)]+)\))?:(.*)$")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
TARGET_DEFINITION = re.compile(
    r"\b(?:add_library|add_executable|theater_handler_library)\s*\(\s*([A-Za-z0-9_.:+-]+)")
# Handlers register their library with theater_handler_library (cmake/Folders.cmake);
# the runtime links them all through this variable and declares `handlers/*/`.
HANDLER_DEFINITION = re.compile(r"\btheater_handler_library\s*\(\s*([A-Za-z0-9_.:+-]+)")
HANDLER_LIBRARIES = "${THEATER_HANDLER_LIBRARIES}"
EVERY_HANDLER = "handlers/*/"
LINK_CALL = re.compile(r"\btarget_link_libraries\s*\(")


class SetupError(Exception):
    """The tree cannot be checked (a README or CMakeLists that does not parse)."""


@dataclasses.dataclass
class Layer:
    name: str  # "wasm/v8/": its folder relative to src/, with a trailing slash
    readme: str  # where its rule is written, for messages
    depends_on: list = dataclasses.field(default_factory=list)
    libraries: list = dataclasses.field(default_factory=list)
    declared: set = dataclasses.field(default_factory=set)  # which lines were present


@dataclasses.dataclass
class Include:
    file: pathlib.Path
    line: int
    text: str  # as written, with its <> or ""
    target_file: str | None  # src-relative path of a project header
    library: str | None


class Checker:
    def __init__(self, src: pathlib.Path):
        self.src = src.resolve()
        self.layers: dict[str, Layer] = {}
        self.violations: list[str] = []
        self.notes: list[str] = []
        self.used: dict[str, set] = {}  # layer -> entries that some dependency used

    # --- reading the declarations ------------------------------------------------------

    def rel(self, path: pathlib.Path) -> str:
        return path.resolve().relative_to(self.src).as_posix()

    def shown(self, path: pathlib.Path) -> str:
        return (pathlib.Path(self.src.name) / self.rel(path)).as_posix()

    def read_layers(self) -> None:
        for readme in sorted(self.src.rglob("README.md")):
            folder = self.rel(readme.parent)
            if folder == ".":
                continue
            for number, text in enumerate(readme.read_text(encoding="utf-8").splitlines(), 1):
                match = DECLARATION.match(text.strip())
                if not match:
                    continue
                kind, sub, entries = match.groups()
                name = folder + "/" + (sub.strip().strip("/") + "/" if sub else "")
                if sub and not (self.src / name).is_dir():
                    raise SetupError(f"{self.shown(readme)}:{number}: no folder {name}")
                layer = self.layers.setdefault(name, Layer(name, self.shown(readme)))
                if kind in layer.declared:
                    raise SetupError(f"{self.shown(readme)}:{number}: second '{kind}' line for {name}")
                layer.declared.add(kind)
                parsed = self.parse_entries(entries, kind, f"{self.shown(readme)}:{number}")
                if kind == "Depends on":
                    layer.depends_on = parsed
                else:
                    layer.libraries = parsed
        every_handler = sorted(n for n in self.layers if re.fullmatch(r"handlers/[^/]+/", n))
        for layer in self.layers.values():
            if EVERY_HANDLER in layer.depends_on:
                layer.depends_on = [e for e in layer.depends_on if e != EVERY_HANDLER] + every_handler
        for layer in self.layers.values():
            for kind in ("Depends on", "Libraries"):
                if kind not in layer.declared:
                    raise SetupError(f"{layer.readme}: no '{kind}:' line for {layer.name}")

    def parse_entries(self, text: str, kind: str, where: str) -> list:
        entries = [e.strip().strip("`").strip() for e in text.strip().rstrip(".").split(",")]
        entries = [e for e in entries if e]
        if entries == ["nothing"]:
            return []
        for entry in entries:
            if kind == "Libraries" and entry not in LIBRARIES:
                known = ", ".join(sorted(LIBRARIES))
                raise SetupError(f"{where}: unknown library '{entry}' (known: {known})")
            if kind == "Depends on" and entry == EVERY_HANDLER:
                continue  # every folder under handlers/, expanded once all are read
            if kind == "Depends on" and not (self.src / entry).exists():
                raise SetupError(f"{where}: '{entry}' is not a folder or file of src/")
            if kind == "Depends on" and (self.src / entry).is_dir() != entry.endswith("/"):
                raise SetupError(f"{where}: write folders with a trailing '/': '{entry}'")
        return entries

    def layer_of(self, rel_path: str) -> Layer | None:
        best = None
        for name, layer in self.layers.items():
            if rel_path.startswith(name) and (best is None or len(name) > len(best.name)):
                best = layer
        return best

    def target_dir_of(self, rel_path: str) -> str:
        """The folder of the CMakeLists.txt whose target compiles `rel_path`."""
        folder = (self.src / rel_path).parent if not rel_path.endswith("/") else self.src / rel_path
        while folder != self.src and not (folder / "CMakeLists.txt").exists():
            folder = folder.parent
        return self.rel(folder)

    # --- the rules -----------------------------------------------------------------------

    @staticmethod
    def handler_of(layer_name: str) -> str | None:
        parts = layer_name.split("/")
        return parts[1] if parts[0] == "handlers" and len(parts) > 2 else None

    def design_rule(self, source: str, target: str) -> str | None:
        """DESIGN.md's rules for handlers, which no README can widen."""
        handler = self.handler_of(source)
        if handler is None:
            return None
        other = self.handler_of(target)
        if other is not None and other != handler:
            return "a handler never depends on another handler (DESIGN.md, Layout)"
        if target.startswith(("actor/", "runtime/")):
            return "a handler never depends on actor/ or runtime/ (DESIGN.md, Layout)"
        return None

    def report_unlayered(self, folder: str) -> None:
        message = (f"src/{folder}/ is in no layer: its README.md needs 'Depends on:' and "
                   "'Libraries:' lines")
        if message not in self.violations:
            self.violations.append(message)

    def use(self, layer: Layer, entry: str) -> None:
        self.used.setdefault(layer.name, set()).add(entry)

    def allowed_entry(self, layer: Layer, target_file: str) -> str | None:
        """The Depends-on entry of `layer` that allows including `target_file`."""
        target_layer = self.layer_of(target_file)
        for entry in layer.depends_on:
            if entry == target_file or (target_layer and entry == target_layer.name):
                return entry
        return None

    def rule_text(self, layer: Layer, kind: str) -> str:
        entries = layer.depends_on if kind == "Depends on" else layer.libraries
        listed = ", ".join(entries) if entries else "nothing"
        return f'{layer.name} {"depends on" if kind == "Depends on" else "uses libraries"}: {listed} ({layer.readme})'

    # --- includes ------------------------------------------------------------------------

    def library_of_include(self, path: str) -> str | None:
        for name, (prefixes, _) in LIBRARIES.items():
            if any(path == p or (p.endswith(("/", "-")) and path.startswith(p)) for p in prefixes):
                return name
        return None

    def resolve_include(self, source: pathlib.Path, quote: str, path: str) -> tuple:
        if quote == '"':
            for candidate in (self.src / path, source.parent / path):
                if candidate.is_file():
                    return self.rel(candidate), None
        library = self.library_of_include(path)
        if library is None and quote == '"':
            raise SetupError(f"{self.shown(source)}: cannot find the header \"{path}\"")
        return None, library

    def read_includes(self) -> list:
        includes = []
        for source in sorted(self.src.rglob("*")):
            if source.suffix not in SOURCE_SUFFIXES or not source.is_file():
                continue
            for number, text in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
                match = INCLUDE.match(text)
                if not match:
                    continue
                quote, path = match.groups()
                target_file, library = self.resolve_include(source, quote, path)
                shown = f"<{path}>" if quote == "<" else f'"{path}"'
                includes.append(Include(source, number, shown, target_file, library))
        return includes

    def check_include(self, include: Include) -> None:
        source_rel = self.rel(include.file)
        layer = self.layer_of(source_rel)
        where = f"{self.shown(include.file)}:{include.line}"
        if layer is None:
            self.report_unlayered(pathlib.Path(source_rel).parent.as_posix())
            return
        if include.library:
            if include.library in layer.libraries:
                self.use(layer, include.library)
            else:
                self.violations.append(
                    f"{where}: includes {include.text} (library {include.library}), but "
                    f"{self.rule_text(layer, 'Libraries')}")
            return
        if include.target_file is None:
            return  # the standard library or the system
        target_layer = self.layer_of(include.target_file)
        if target_layer is None or target_layer is layer:
            return
        rule = self.design_rule(layer.name, target_layer.name)
        if rule:
            self.violations.append(f"{where}: includes {include.text} ({target_layer.name}), but {rule}")
            return
        entry = self.allowed_entry(layer, include.target_file)
        if entry:
            self.use(layer, entry)
        else:
            self.violations.append(f"{where}: includes {include.text} ({target_layer.name}), but "
                                   f"{self.rule_text(layer, 'Depends on')}")

    # --- CMake links ---------------------------------------------------------------------

    @staticmethod
    def cmake_tokens(text: str) -> list:
        """(token, line) pairs, comments dropped."""
        tokens = []
        for number, line in enumerate(text.splitlines(), 1):
            line = line.split("#", 1)[0]
            for token in re.findall(r"[()]|[^\s()]+", line):
                tokens.append((token, number))
        return tokens

    def read_cmake(self) -> tuple:
        """Targets by name (-> folder of their CMakeLists), and every link."""
        targets, links, handler_targets = {}, [], []
        for cmake in sorted(self.src.rglob("CMakeLists.txt")):
            text = cmake.read_text(encoding="utf-8")
            handler_targets += HANDLER_DEFINITION.findall(text)
        for cmake in sorted(self.src.rglob("CMakeLists.txt")):
            folder = self.rel(cmake.parent)
            text = cmake.read_text(encoding="utf-8")
            for match in TARGET_DEFINITION.finditer(text):
                targets[match.group(1)] = folder
            tokens = self.cmake_tokens(text)
            for i, (token, _) in enumerate(tokens):
                if token != "target_link_libraries" or i + 1 >= len(tokens) or tokens[i + 1][0] != "(":
                    continue
                args, j = [], i + 2
                while j < len(tokens) and tokens[j][0] != ")":
                    args.append(tokens[j])
                    j += 1
                if not args:
                    raise SetupError(f"{self.shown(cmake)}:{tokens[i][1]}: empty target_link_libraries")
                owner, scope = args[0][0], None
                for item, number in args[1:]:
                    if item in LINK_KEYWORDS:
                        scope = item
                        continue
                    expanded = handler_targets if item == HANDLER_LIBRARIES else [item]
                    links += [(cmake, number, owner, scope, one) for one in expanded]
        return targets, links

    def library_of_target(self, item: str) -> str | None:
        for name, (_, targets) in LIBRARIES.items():
            if item in targets:
                return name
        return None

    def target_layers(self, folder: str) -> list:
        """Layers whose files the target defined in `folder` compiles."""
        return [l for n, l in self.layers.items()
                if (n == folder + "/" or n.startswith(folder + "/")) and self.target_dir_of(n) == folder]

    def check_link(self, cmake, number, owner, scope, item, targets, header_uses) -> None:
        where = f"{self.shown(cmake)}:{number}"
        folder = self.rel(cmake.parent)
        layers = self.target_layers(folder)
        if not layers:
            self.report_unlayered(folder)
            return
        main = self.layer_of(folder + "/")
        if item in SYSTEM_LINK_ITEMS or item.startswith("-"):
            return
        if scope is None:
            self.violations.append(f"{where}: {owner} links {item} without PUBLIC or PRIVATE")
        library = self.library_of_target(item)
        if library is None and item not in targets:
            self.violations.append(f"{where}: {owner} links {item}, which the layering check does not "
                                   "know: add it to LIBRARIES in tools/check_layering.py")
            return
        if library is not None:
            allowed = [l for l in layers if library in l.libraries]
            if not allowed:
                self.violations.append(f"{where}: {owner} links {item} (library {library}), but "
                                       f"{self.rule_text(main, 'Libraries')}")
            else:
                self.use(allowed[0], library)
            dependency = ("library", library)
        else:
            target_folder = targets[item]
            if target_folder == folder:
                return
            target_layer = self.layer_of(target_folder + "/")
            rule = self.design_rule(main.name, target_layer.name) if target_layer else None
            if rule:
                self.violations.append(f"{where}: {owner} links {item} ({target_folder}/), but {rule}")
                return
            entries = [(l, e) for l in layers for e in l.depends_on
                       if self.target_dir_of(e) == target_folder]
            if not entries:
                self.violations.append(f"{where}: {owner} links {item} ({target_folder}/), but "
                                       f"{self.rule_text(main, 'Depends on')}")
            for layer, entry in entries:
                self.use(layer, entry)
            dependency = ("target", target_folder)
        if scope == "PUBLIC" and dependency not in header_uses.get(folder, set()):
            self.violations.append(f"{where}: {owner} links {item} PUBLIC, but none of its headers "
                                   "includes it: link it PRIVATE")

    def header_uses(self, includes: list) -> dict:
        """For each target folder: what its headers include (what its interface exposes)."""
        uses = {}
        for include in includes:
            if include.file.suffix not in HEADER_SUFFIXES:
                continue
            folder = self.target_dir_of(self.rel(include.file))
            if include.library:
                uses.setdefault(folder, set()).add(("library", include.library))
            elif include.target_file:
                uses.setdefault(folder, set()).add(("target", self.target_dir_of(include.target_file)))
        return uses

    def check_direct_links(self, includes: list, targets: dict, links: list) -> None:
        """What a target's files include, it links itself: nothing arrives only
        because some other dependency happens to link it PUBLIC."""
        linked = {}
        for _, _, owner, _, item in links:
            folder = targets.get(owner)
            library = self.library_of_target(item)
            dependency = ("library", library) if library else ("target", targets.get(item))
            linked.setdefault(folder, set()).add(dependency)
        first_use = {}
        for include in includes:
            folder = self.target_dir_of(self.rel(include.file))
            if include.library:
                dependency = ("library", include.library)
            elif include.target_file:
                dependency = ("target", self.target_dir_of(include.target_file))
                if dependency[1] == folder:
                    continue
            else:
                continue
            first_use.setdefault((folder, dependency), include)
        defined = set(targets.values())
        for (folder, (kind, name)), include in sorted(first_use.items(), key=lambda x: str(x[0])):
            if folder not in defined or (kind, name) in linked.get(folder, set()):
                continue
            what = f"library {name}" if kind == "library" else f"the target of {name}/"
            self.violations.append(f"{self.shown(include.file)}:{include.line}: includes {include.text}, "
                                   f"but src/{folder}/CMakeLists.txt does not link {what}")

    # --- the declared graph --------------------------------------------------------------

    def check_cycles(self) -> None:
        graph = {}
        for name, layer in self.layers.items():
            graph[name] = sorted({self.layer_of(e).name for e in layer.depends_on} - {name})
        state = {}

        def visit(node, path):
            state[node] = "open"
            for nxt in graph.get(node, []):
                if state.get(nxt) == "open":
                    cycle = path[path.index(nxt):] + [nxt]
                    self.violations.append(f"{self.layers[node].readme}: the declared dependencies make a "
                                           f"cycle: {' -> '.join(cycle)}")
                elif nxt not in state:
                    visit(nxt, path + [nxt])
            state[node] = "done"

        for node in sorted(graph):
            if node not in state:
                visit(node, [node])

    def note_unused(self) -> None:
        for name, layer in sorted(self.layers.items()):
            used = self.used.get(name, set())
            for entry in layer.depends_on + layer.libraries:
                if entry not in used:
                    self.notes.append(f"{layer.readme}: {name} declares {entry} but nothing uses it")

    def run(self) -> int:
        self.read_layers()
        includes = self.read_includes()
        for include in includes:
            self.check_include(include)
        targets, links = self.read_cmake()
        uses = self.header_uses(includes)
        for link in links:
            self.check_link(*link, targets, uses)
        self.check_direct_links(includes, targets, links)
        self.check_cycles()
        self.note_unused()
        for note in self.notes:
            print(f"note: {note}")
        for violation in self.violations:
            print(violation)
        if self.violations:
            print(f"layering: {len(self.violations)} violation(s)")
            return 1
        print(f"layering: ok ({len(self.layers)} layers, {len(includes)} includes, {len(links)} links)")
        return 0


def main(argv: list) -> int:
    if len(argv) > 2:
        print(__doc__.strip().splitlines()[-2])
        return 2
    src = pathlib.Path(argv[1]) if len(argv) == 2 else pathlib.Path(__file__).parent.parent / "src"
    if not src.is_dir():
        print(f"layering: no folder {src}")
        return 2
    try:
        return Checker(src).run()
    except SetupError as error:
        print(f"layering: {error}")
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
