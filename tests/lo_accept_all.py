"""Run by the system Python with LibreOffice's UNO bridge (Debian python3-uno):

    python3 lo_accept_all.py DOCX OUT.txt WORKDIR [OTHER.docx OTHER.txt]

opens DOCX in a headless LibreOffice, prints {"changes": N, "kinds": {…},
"left_after_accept": 0} (the tracked changes LibreOffice sees), accepts all
of them and writes the text as LibreOffice exports it (one paragraph or
table cell per line) to OUT.txt; OTHER.docx's text goes to OTHER.txt, to
compare like with like.
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(docx: str, out: str, work: str, other: str | None = None, other_out: str | None = None) -> int:
    pipe = f"sopimus{os.getpid()}"
    profile = Path(work, "lo-profile").resolve().as_uri()
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo",
                               f"-env:UserInstallation={profile}", f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(240):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.25)
        if ctx is None:
            print("LibreOffice did not start", file=sys.stderr)
            return 2
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(Path(docx).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
        redlines = doc.getRedlines()
        count = 0
        enum = redlines.createEnumeration()
        kinds = {}
        while enum.hasMoreElements():
            r = enum.nextElement()
            kind = r.getPropertyValue("RedlineType")
            kinds[kind] = kinds.get(kind, 0) + 1
            count += 1
        dispatcher = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        dispatcher.executeDispatch(doc.getCurrentController().getFrame(), ".uno:AcceptAllTrackedChanges", "", 0, ())
        left = 0
        enum = doc.getRedlines().createEnumeration()
        while enum.hasMoreElements():
            enum.nextElement()
            left += 1
        doc.storeToURL(Path(out).resolve().as_uri(), (prop("FilterName", "Text (encoded)"),
                                                      prop("FilterOptions", "UTF8,LF")))
        doc.close(True)
        if other:
            plain = desktop.loadComponentFromURL(Path(other).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
            plain.storeToURL(Path(other_out).resolve().as_uri(), (prop("FilterName", "Text (encoded)"),
                                                                  prop("FilterOptions", "UTF8,LF")))
            plain.close(True)
        print(json.dumps({"changes": count, "kinds": kinds, "left_after_accept": left}))
        try:
            desktop.terminate()
        except Exception:
            pass
        return 0
    finally:
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
