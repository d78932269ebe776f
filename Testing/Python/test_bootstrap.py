"""scripts/bootstrap.sh: the README's package table is the script's own list
for every release, --list installs nothing, and an unsupported system gets a
message naming the supported releases."""
import os
import re
import subprocess
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "bootstrap.sh")
RELEASES = ("bookworm", "trixie", "unstable")


def script_list(release):
    env = dict(os.environ, GO_DEBIAN_RELEASE=release)
    p = subprocess.run(["sh", SCRIPT, "--list"], env=env, capture_output=True, text=True,
                       timeout=60)
    if p.returncode != 0:
        raise AssertionError("bootstrap --list for %s failed: %s" % (release, p.stderr))
    return p.stdout.split()


def readme_lists():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    rows = {}
    for m in re.finditer(r"^\| (all|bookworm|trixie|unstable) \| \+? ?`([^`]*)` \|$", text, re.M):
        rows[m.group(1)] = m.group(2).split()
    return rows


class Bootstrap(unittest.TestCase):
    def test_readme_lists_are_the_scripts(self):
        rows = readme_lists()
        self.assertEqual(set(rows), {"all"} | set(RELEASES), "README package table rows")
        for release in RELEASES:
            self.assertEqual(sorted(rows["all"] + rows[release]), sorted(script_list(release)),
                             "README's %s packages differ from bootstrap.sh --list" % release)

    def test_unsupported_system_is_named(self):
        env = dict(os.environ, GO_DEBIAN_RELEASE="jessie")
        p = subprocess.run(["sh", SCRIPT, "--list"], env=env, capture_output=True, text=True,
                           timeout=60)
        self.assertNotEqual(p.returncode, 0)
        for word in ("unsupported", "bookworm", "trixie", "unstable"):
            self.assertIn(word, p.stderr)


if __name__ == "__main__":
    unittest.main()
