"""The theme's Jinja environments, made cheaper to create and use; what they produce does not change.

A build creates several (one per language, one more each time Material's search plugin translates a
string) and `make serve` creates them again on every rebuild. Each one used to compile Material's ~60
templates again and walk its 14,000 icon files to find the theme's static files.
"""

import os
import types

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates by name; Jinja checks the source checksum, so an edited template recompiles."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


# Module state, not hook state: MkDocs reloads hooks.py on each preview rebuild, not this module.
CACHE = MemoryBytecodeCache()


class ThemeLoader(jinja2.FileSystemLoader):
    """Lists the theme's files without descending into hidden folders (Material's .icons).

    MkDocs drops every hidden path from that list anyway (patterns ".*" and "*/.*" in
    Files.add_files_from_theme); templates in hidden folders still load by name.
    """

    def list_templates(self):
        found = set()
        for searchpath in self.searchpath:
            for folder, subfolders, filenames in os.walk(searchpath, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                relative = os.path.relpath(folder, searchpath).replace(os.path.sep, "/")
                prefix = "" if relative == "." else relative + "/"
                found.update(prefix + name for name in filenames if not name.startswith("."))
        return sorted(found)


def install(theme):
    """Every environment of this theme (this build's, and the one Material's search plugin makes)."""
    make_env = type(theme).get_env

    def get_env(self):
        env = make_env(self)
        env.loader = ThemeLoader(self.dirs)
        env.bytecode_cache = CACHE
        return env

    theme.get_env = types.MethodType(get_env, theme)
