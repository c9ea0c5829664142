#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks that imports run one way (DEVELOPERS.md, "Shape of the project").

vimc_rs/: every module imports only modules below it in ORDER (and the
layer, media/, and the pure code of pixel/). media/ (media/README.md):
never a driver's module; kcompat/ nothing of the other parts; introspect/
nothing of v4l2/ or mc/; v4l2/ and mc/ of introspect/ only ksyms. pixel/ and
media/v4l2/types.rs: nothing of the kernel or the layer. Prints each import
that runs back up and exits 1 if there is one.
"""
import re
import sys
from pathlib import Path

# vimc_rs's modules, top first (vimc_rs_mod.rs says the same in words).
ORDER = [
    "vimc_rs_mod",
    "configfs",
    "topology",
    "kinds",
    "capture", "debayer", "lens", "scaler", "sensor",
    "controls", "entity", "device", "streamer", "stage",
]
# Peers: the entities sit on one level and never import each other.
LEVEL = {m: i for i, m in enumerate(ORDER)}
for m in ("capture", "debayer", "lens", "scaler", "sensor"):
    LEVEL[m] = LEVEL["capture"]
for m in ("controls", "entity"):
    LEVEL[m] = LEVEL["controls"]
# Below every driver module: the layer and the pure code it mounts.
OUTSIDE = {"media", "formats", "frames", "graph", "v4l2"}


def code(text):
    """`text` without comments and string contents."""
    text = re.sub(r'"(\\.|[^"\\])*"', '""', text)
    return re.sub(r"//[^\n]*", "", text)


def parse_tree(s, i):
    """The paths of the use tree at s[i:] (lists of segments), and its end."""
    prefix = []
    while True:
        m = re.compile(r"\s*(\{|\w+|\*)(\s+as\s+\w+)?").match(s, i)
        tok, i = m.group(1), m.end()
        if tok == "{":
            paths = []
            while True:
                i = re.compile(r"[\s,]*").match(s, i).end()
                if s[i] == "}":
                    return paths, i + 1
                sub, i = parse_tree(s, i)
                paths += [prefix + p for p in sub]
        prefix.append(tok)
        j = re.compile(r"\s*").match(s, i).end()
        if not s.startswith("::", j):
            return [prefix], i
        i = j + 2


def crate_paths(text):
    """Every path into the crate that `text` names: in `use crate::...;`
    statements (groups opened) and inline (`crate::a::b`), without the
    leading `crate`."""
    paths = []
    for m in re.finditer(r"\buse\s+crate::", text):
        paths += parse_tree(text, m.end())[0]
    rest = re.sub(r"\buse\s+crate::[^;]*;", "", text)
    paths += [p.split("::") for p in re.findall(r"\bcrate::(\w+(?:::\w+)*)", rest)]
    return [p for p in paths if p]


def crate_refs(text):
    """The crate's top-level modules that `text` names."""
    return {p[0] for p in crate_paths(text)} - {"self"}


PARTS = ("kcompat", "v4l2", "mc", "introspect")


def media_refs(text):
    """(part, module) pairs of the layer that `text` names."""
    refs = set()
    for p in crate_paths(text):
        if p[0] == "media" and len(p) > 1 and p[1] in PARTS:
            refs.add((p[1], p[2] if len(p) > 2 else ""))
    return refs


def main(top):
    bad = []
    for path in sorted((top / "vimc_rs").glob("*.rs")):
        name = path.stem
        if name not in LEVEL:
            bad.append(f"{path}: not in scripts/check-layers.py's ORDER")
            continue
        for ref in sorted(crate_refs(code(path.read_text()))):
            if ref in OUTSIDE or (name == "vimc_rs_mod" and ref == "module_parameters"):
                continue
            if ref == "module_parameters":
                bad.append(f"{path}: reads the module's parameters (the module root's)")
            elif ref not in LEVEL:
                bad.append(f"{path}: imports crate::{ref}, which is no module of ours")
            elif LEVEL[ref] <= LEVEL[name]:
                bad.append(f"{path}: imports {ref}, which is not below it")
    drivers = set(ORDER)
    for path in sorted((top / "media").glob("**/*.rs")):
        text = code(path.read_text())
        for ref in sorted(crate_refs(text) & (drivers | {"formats", "frames", "graph"})):
            bad.append(f"{path}: the layer imports the driver's {ref}")
        part = path.parent.name
        for used in sorted(media_refs(text)):
            if used[0] == part or used[0] not in PARTS:
                continue
            if part == "kcompat" or (part == "introspect" and used[0] in ("v4l2", "mc")):
                bad.append(f"{path}: {part}/ imports {'/'.join(used)}")
            elif part in ("v4l2", "mc") and used[0] == "introspect" and used[1] != "ksyms":
                bad.append(f"{path}: {part}/ imports {'/'.join(used)}")
    pure = sorted((top / "pixel").glob("*.rs")) + sorted(top.glob("media/v4l2/types.rs"))
    for path in pure:
        text = code(path.read_text())
        if re.search(r"\b(kernel|crate::media|bindings)::", text):
            bad.append(f"{path}: pure code imports the kernel or the layer")
    for line in bad:
        print(line)
    print(f"layers: {len(bad)} imports run back up" if bad else "layers: every import runs down")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
