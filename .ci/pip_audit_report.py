"""Read `pip-audit -f json` from stdin and decide.

pip-audit prints "No known vulnerabilities found" and exits 0 even when it audited nothing: every
package is then only "skipped" because the vulnerability service could not be reached. That is
not a pass, so this script counts what was really audited:

- any known vulnerability: exit 1, listing package, version, advisory and fixed versions;
- nothing audited (the service is unreachable, as on a machine that reaches only the package
  index): say so plainly and exit 1 when AUDIT_REQUIRED=1, else 0 with the warning;
- otherwise: how many packages were audited, and exit 0.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> int:
    report = json.load(sys.stdin)
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix released"
            print(f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixes})")
    if vulnerable:
        return 1
    if not audited:
        print(
            f"pip-audit: NOT AUDITED: none of {len(dependencies)} packages could be checked "
            "(the vulnerability service is unreachable from this machine)."
        )
        return 1 if os.environ.get("AUDIT_REQUIRED") == "1" else 0
    skipped = len(dependencies) - len(audited)
    print(f"pip-audit: {len(audited)} packages audited, no known vulnerabilities ({skipped} skipped).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
