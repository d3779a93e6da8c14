"""Exit 0 when every requirement of the given file is installed in a matching version."""

import sys
from importlib import metadata

from packaging.requirements import Requirement


def missing(path):
    with open(path, encoding="utf-8") as lines:
        requirements = [line.split("#", 1)[0].strip() for line in lines]
    for line in requirements:
        if not line:
            continue
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate():
            continue
        try:
            version = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            yield line
            continue
        if requirement.specifier and not requirement.specifier.contains(version, prereleases=True):
            yield line


if __name__ == "__main__":
    absent = list(missing(sys.argv[1]))
    if absent:
        print("missing or outdated:", ", ".join(absent))
    sys.exit(1 if absent else 0)
