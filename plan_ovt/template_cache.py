"""Theme templates compiled once per process: both language builds and every preview rebuild reuse them.

Compiling Material's ~60 Jinja templates is the largest single cost of a build, and each language
build (and each `make serve` rebuild) would otherwise compile them all again.
"""

from jinja2 import BytecodeCache


class MemoryBytecodeCache(BytecodeCache):
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
