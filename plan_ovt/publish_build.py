"""`make site`: build the site and its server configurations aside, check them, then publish both at once.

Beside mkdocs.yml:

    .builds/lock              one build at a time: a second `make site` waits for the first (flock)
    .builds/<id>/site/        one finished build: the site…
    .builds/<id>/server/      … and the nginx and Apache configurations made from it
    .builds/current -> <id>   the last good build
    site -> .builds/current/site,  server -> .builds/current/server

A build is made in a folder of its own (tempfile.mkdtemp, same filesystem), checked complete, then made
current by replacing the one symlink .builds/current with rename(2): atomic on every POSIX system, so
site/ and server/ always show one same, complete build, and there is no moment without a site. (Swapping
two real folders would need Linux's renameat2(RENAME_EXCHANGE), and could not swap site/ and server/
together.) A build killed at any moment, a full disk or any failure leaves the current build as it was;
what a killed build left in .builds/ is removed by the next one, under the lock.
"""

import argparse
import errno
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

BUILDS = ".builds"
CURRENT = "current"
LOCK = "lock"
OUTPUTS = ("site", "server")
# errno of a write refused for lack of room (disk full, quota, file size limit).
NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
KEEP = "Le site précédent (site/ et server/) reste en place, intact. (The previous site is left as it was.)"


class BuildFailed(Exception):
    """A French-first message: what went wrong and what to do."""


def default_steps():
    """[(name, command)]: the steps of a build; {site} and {server} stand for this build's folders."""
    python = sys.executable
    return [("MkDocs", [python, "-m", "mkdocs", "build", "--strict", "--site-dir", "{site}"]),
            ("en-têtes et configurations de serveur", [python, "-m", "plan_ovt.headers", "{site}", "{server}"])]


# One build at a time


@contextmanager
def locked(builds):
    """Hold .builds/lock. The kernel releases a flock when its process ends, however it ends: a killed build
    never leaves the next one waiting."""
    fd = os.open(builds / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("Une autre construction du site est en cours dans ce dossier : celle-ci attend qu’elle se "
                  "termine, puis construit à son tour. (Another build is running here: waiting for it to finish.)",
                  file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def current_id(builds):
    try:
        return os.readlink(builds / CURRENT)
    except FileNotFoundError:
        return None


def remove_stale(builds):
    """Everything in .builds/ but the lock and the current build: left by killed or replaced builds.
    Only called under the lock, so no other build is using any of it."""
    keep = {LOCK, CURRENT, current_id(builds)}
    for entry in builds.iterdir():
        if entry.name in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


# Checking a build


def required_files(root):
    """{output: [relative path]}: what a complete build holds, from the page registry and the data.

    Every page of every language (plan_ovt/pages.py), the 404 page, the headers, the sitemaps and search index
    of each language, the PDFs, the open data files, the web editor, and the two server configurations."""
    from plan_ovt import exports, opendata, pages, pdf
    from plan_ovt.loading import load_data

    config = pages.read_config(root / "mkdocs.yml")
    languages = pages.languages(config)
    data = load_data(root / "data", languages)
    editions = [""] + [f"{lang}/" for lang in languages[1:]]
    site = [entry["url"] for pair in pages.page_pairs(config, root / "docs") for entry in pair.values()]
    site += ["404.html", "_headers", "robots.txt"]
    site += [f"{edition}{name}" for edition in editions for name in ("sitemap.xml", "search/search_index.json")]
    if exports.pdf_wanted("build", os.environ.get("PLAN_OVT_PDF", "")):
        site += [pdf.site_path(lang, languages, data["publication"]) for lang in languages]
    site += list(opendata.paths(data).values())
    if os.environ.get("PLAN_OVT_ADMIN") != "0":
        site += ["admin/index.html", "admin/config.yml"]
    return {"site": site, "server": ["nginx.conf", "apache.conf"]}


def incomplete(build, required):
    """The files of `required` that `build` lacks, is empty of, or holds cut short (a page without its end)."""
    missing = []
    for output, names in required.items():
        for name in names:
            path = build / output / name
            if not path.is_file() or path.stat().st_size == 0:
                missing.append(f"{output}/{name}")
            elif name.endswith(".html") and not path.read_bytes().rstrip().endswith(b"</html>"):
                missing.append(f"{output}/{name} (incomplet, truncated)")
    return missing


def sync_tree(folder):
    """Write the build to disk before it becomes current: after a power cut, the current build has its files."""
    for directory, _, files in os.walk(folder):
        for name in [*files, "."]:
            fd = os.open(os.path.join(directory, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


# Publishing a build


def replace_link(target, link):
    """Point `link` at `target` in one step: a new symlink renamed over the old one (rename(2) is atomic)."""
    fresh = link.with_name(f".{link.name}.{os.getpid()}.new")
    fresh.unlink(missing_ok=True)
    os.symlink(target, fresh)
    os.replace(fresh, link)


def link_outputs(root, builds):
    """site/ and server/ as links to the current build; folders of an earlier `make site` become a build first.

    Run at the start of every build (under the lock) and after each swap, so that a build killed between two
    of these steps is finished by the next one. Adopting an earlier folder (once per checkout) is the only
    moment site/ is missing: between renaming it into .builds/ and linking it back, where it is kept."""
    folders = [output for output in OUTPUTS if (root / output).is_dir() and not (root / output).is_symlink()]
    if folders:
        adopted = Path(tempfile.mkdtemp(prefix="build-", dir=builds))
        adopted.chmod(0o777 & ~_umask())
        if current_id(builds) is None:
            replace_link(adopted.name, builds / CURRENT)
        for output in folders:
            os.rename(root / output, adopted / output)
            if current_id(builds) == adopted.name:
                replace_link(f"{BUILDS}/{CURRENT}/{output}", root / output)
    if current_id(builds) is None:
        return
    for output in OUTPUTS:
        link, target = root / output, f"{BUILDS}/{CURRENT}/{output}"
        if not (link.is_symlink() and os.readlink(link) == target):
            replace_link(target, link)


def make_current(root, builds, build_id):
    replace_link(build_id, builds / CURRENT)
    link_outputs(root, builds)
    fd = os.open(builds, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def run_step(command):
    """Run one step, its output shown as it comes; returns (exit code, last lines of its error output)."""
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, errors="replace")
    tail = []
    for line in process.stderr:
        sys.stderr.write(line)
        tail = (tail + [line])[-20:]
    return process.wait(), "".join(tail)


def no_room(text):
    return any(os.strerror(code) in text for code in NO_ROOM)


def publish(root, steps=None):
    """Build, check and publish the site of `root`; raises BuildFailed with a French-first message."""
    root = Path(root).resolve()
    builds = root / BUILDS
    try:
        builds.mkdir(exist_ok=True)
        with locked(builds):
            remove_stale(builds)
            link_outputs(root, builds)
            build = Path(tempfile.mkdtemp(prefix="build-", dir=builds))
            try:
                build.chmod(0o777 & ~_umask())  # mkdtemp's 0700 would keep a web server out of site/
                for name, command in steps or default_steps():
                    _run(name, [part.format(site=build / "site", server=build / "server") for part in command])
                _check(root, build)
                sync_tree(build)
                make_current(root, builds, build.name)
            finally:
                remove_stale(builds)
    except OSError as error:
        if error.errno in NO_ROOM:
            raise BuildFailed("Le disque est plein : libérez de l’espace, puis relancez make site. "
                              f"(The disk is full: {error.strerror}.)") from None
        raise BuildFailed(f"Publication impossible : {error.strerror} ({error.filename}). Vérifiez les droits sur "
                          f"le dossier {BUILDS}/ et la place libre, puis relancez make site. "
                          f"(Could not publish the build: {error}.)") from None


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _run(name, command):
    code, errors = run_step(command)
    if code == 0:
        return
    if no_room(errors):
        todo = ("Le disque est plein (ou la taille des fichiers limitée) : libérez de l’espace, puis relancez "
                "make site. (The disk is full: free some space, then run make site again.)")
    else:
        todo = ("Corrigez ce que le message ci-dessus désigne, puis relancez make site. "
                "(Fix what the message above points at, then run make site again.)")
    raise BuildFailed(f"La construction a échoué à l’étape « {name} » (code {code}). {todo}")


def _check(root, build):
    from plan_ovt.loading import DataError

    try:
        missing = incomplete(build, required_files(root))
    except DataError as error:
        raise BuildFailed(str(error)) from None
    if missing:
        shown = "\n".join(f"  - {name}" for name in missing[:20])
        raise BuildFailed(f"Construction incomplète : {len(missing)} fichiers attendus manquent ou sont vides :\n"
                          f"{shown}\nRelancez make site ; si le problème revient, transmettez ce message à "
                          f"l’équipe technique. (Incomplete build: expected files are missing or empty.)")


def main(argv=None, steps=None):
    parser = argparse.ArgumentParser(description="Construit le site, le vérifie, puis le publie d’un coup "
                                                 "(builds, checks, then publishes the site at once).")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="dossier de mkdocs.yml (folder of mkdocs.yml)")
    args = parser.parse_args(argv)
    try:
        publish(args.root, steps)
    except BuildFailed as error:
        print(f"\n{error}\n{KEEP}", file=sys.stderr)
        return 1
    print(f"Site publié dans site/ (construction {current_id(args.root.resolve() / BUILDS)}), configurations "
          f"dans server/. (Site published in site/, server configurations in server/.)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
