#!/usr/bin/env python3
"""Writes rust-project.json for our crates: the kernel's own (from
`make rust-analyzer` in the build directory) plus one crate per module,
depending on core and kernel with the kernel's cfgs."""
import json, sys, pathlib

kdir, top = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve()
project = json.loads((kdir / "rust-project.json").read_text())
crates = project["crates"]
index = {c.get("display_name"): i for i, c in enumerate(crates)}
kernel = crates[index["kernel"]]
for root in ("vimc_rs/vimc_rs_mod.rs", "async_debugfs/async_debugfs_mod.rs"):
    crates.append({
        "display_name": pathlib.Path(root).stem,
        "root_module": str(top / root),
        "is_workspace_member": True,
        "deps": [{"crate": index["core"], "name": "core"},
                 {"crate": index["kernel"], "name": "kernel"}],
        "cfg": kernel.get("cfg", []),
        "edition": "2021",
        "env": {"RUST_MODFILE": "This is only for rust-analyzer",
                "OBJTREE": str(kdir.resolve())},
    })
(top / "rust-project.json").write_text(json.dumps(project, indent=2) + "\n")
