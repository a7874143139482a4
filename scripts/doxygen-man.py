#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""doxygen-man: man pages, one per public function, from Doxygen's XML.

Usage:
  python3 scripts/doxygen-man.py XMLDIR OUTDIR [--version V] [--htmldir D]
  python3 scripts/doxygen-man.py --check XMLDIR NAME...

Doxygen's own man output is one page per header; its MAN_LINKS stubs are
`.so` requests into that page, which `man -l` does not resolve from an
install prefix. This script reads the XML that docs/Doxyfile has Doxygen
write and makes, in OUTDIR:

  - <function>.3 for every function of the documented headers: NAME (the
    comment's first sentence), SYNOPSIS (`#include <bsdsock/bsdsock.h>`
    and the prototype), DESCRIPTION (the rest of the comment), RETURN VALUE
    (its @return paragraph), ERRORS (for a call that can fail: where its
    codes come from and which rules pick one), SEE ALSO (the functions the
    comment names, and bsdsock(3));
  - bsdsock.3, the overview: the conventions of bsdsock/bsdsock.h's header
    comment, the other documented headers' contracts, and every function
    with its one-line summary, by section.

--check is what scripts/lint.sh runs: it exits 1, naming them, if any of
the functions NAME... is missing from the XML or has no documentation
comment of its own, or sits in a header without a @file comment (Doxygen
leaves such a header out of the reference).

Python 3 standard library only; used at build time for the docs, never by
the library.
"""

import argparse
import os
import re
import sys
import xml.etree.ElementTree as ET

UMBRELLA = "bsdsock/bsdsock.h"
TITLE = "bsdsock API reference"


# ---- reading the XML -------------------------------------------------------

def text_of(elem):
    return "".join(elem.itertext()) if elem is not None else ""


def documented(elem):
    """True if a compound or member has a comment of its own."""
    return bool(text_of(elem.find("briefdescription")).strip() or
                text_of(elem.find("detaileddescription")).strip())


def load_files(xmldir):
    """The file compounds (the public headers), bsdsock/bsdsock.h first."""
    index = ET.parse(os.path.join(xmldir, "index.xml")).getroot()
    files = []
    for comp in index.findall("compound"):
        if comp.get("kind") != "file":
            continue
        path = os.path.join(xmldir, comp.get("refid") + ".xml")
        cdef = ET.parse(path).getroot().find("compounddef")
        loc = cdef.find("location")
        files.append({
            "name": loc.get("file") if loc is not None else cdef.findtext(
                "compoundname"),
            "def": cdef,
            "documented": documented(cdef),
        })
    order = {UMBRELLA: 0}
    files.sort(key=lambda f: (order.get(f["name"], 1), f["name"]))
    return files


def functions_of(cdef):
    """(section header or None, memberdef) for each function of a file."""
    out = []
    for sd in cdef.findall("sectiondef"):
        header = sd.findtext("header")
        for md in sd.findall("memberdef"):
            if md.get("kind") == "function":
                out.append((header, md))
    return out


# ---- roff ------------------------------------------------------------------

def esc(s):
    """Text for roff: backslashes and minus signs escaped, blanks folded."""
    s = s.replace("\\", "\\e")
    s = s.replace("-", "\\-")
    return re.sub(r"\s+", " ", s)


def line(s):
    """A text line: one that starts with a control character is protected."""
    s = s.strip()
    if s[:1] in (".", "'"):
        s = "\\&" + s
    return s


class Render:
    """Turns Doxygen description XML into roff blocks."""

    def __init__(self, funcs, self_name):
        self.funcs = funcs            # names of functions that have a page
        self.self_name = self_name
        self.refs = []                # functions the text names, in order
        self.returns = []             # paragraphs of @return
        self.depth = 0                # list nesting

    def inline(self, e):
        out = [esc(e.text or "")]
        for c in e:
            out.append(self.inline_elem(c))
            out.append(esc(c.tail or ""))
        return "".join(out)

    def inline_elem(self, c):
        tag = c.tag
        if tag == "ref":
            name = text_of(c)
            base = name[:-2] if name.endswith("()") else name
            if base in self.funcs and base != self.self_name \
                    and base not in self.refs:
                self.refs.append(base)
            return "\\fB" + esc(name) + "\\fR"
        if tag in ("computeroutput", "bold"):
            return "\\fB" + self.inline(c) + "\\fR"
        if tag in ("emphasis",):
            return "\\fI" + self.inline(c) + "\\fR"
        if tag == "linebreak":
            return "\n.br\n"
        if tag == "ulink":
            return self.inline(c) + " <" + esc(c.get("url", "")) + ">"
        return self.inline(c)

    def blocks(self, e, out):
        """Appends the roff lines of a description element to out."""
        for c in e:
            if c.tag == "para":
                self.para(c, out)
            else:
                self.block(c, out)

    def para(self, p, out):
        buf = [esc(p.text or "")]

        def flush():
            t = "".join(buf).strip()
            if t:
                out.append(".PP")
                out.extend(line(x) for x in t.split("\n") if x.strip())
            buf[:] = []

        for c in p:
            if c.tag in ("itemizedlist", "orderedlist", "simplesect",
                         "programlisting", "verbatim", "parameterlist",
                         "table", "heading"):
                flush()
                self.block(c, out)
            else:
                buf.append(self.inline_elem(c))
            buf.append(esc(c.tail or ""))
        flush()

    def block(self, c, out):
        tag = c.tag
        if tag in ("itemizedlist", "orderedlist"):
            # A list inside a list item is indented under that item.
            if self.depth:
                out.append(".RS")
            self.depth += 1
            for n, item in enumerate(c.findall("listitem"), 1):
                mark = "\\(bu" if tag == "itemizedlist" else "%d." % n
                sub = []
                self.blocks(item, sub)
                first = True
                for x in sub:
                    if x == ".PP":
                        out.append(".IP %s 3" % (mark if first else '""'))
                        first = False
                    else:
                        out.append(x)
            self.depth -= 1
            if self.depth:
                out.append(".RE")
        elif tag == "simplesect":
            kind = c.get("kind")
            if kind == "return":
                for p in c.findall("para"):
                    self.returns.append(p)
            else:
                sub = []
                self.blocks(c, sub)
                label = {"see": "See also", "note": "Note",
                         "warning": "Warning"}.get(kind, kind.capitalize())
                out.append(".PP")
                out.append("\\fI%s:\\fR" % label)
                out.extend(x for x in sub if x != ".PP")
        elif tag in ("programlisting", "verbatim"):
            out.append(".PP")
            out.append(".nf")
            if tag == "verbatim":
                out.extend(line(esc(x)) if x.strip() else "" for x in
                           (c.text or "").split("\n"))
            else:
                for cl in c.findall("codeline"):
                    out.append(line(esc(text_of(cl))) or "\\&")
            out.append(".fi")
        else:
            sub = []
            self.blocks(c, sub)
            out.extend(sub)


def prototype(md):
    """SYNOPSIS lines of a function: .BI, parameter names in italics, long
    prototypes wrapped after a comma and lined up after the parenthesis."""
    rtype = re.sub(r"\s+", " ", text_of(md.find("type"))).strip()
    name = md.findtext("name")
    head = rtype + ("" if rtype.endswith("*") else " ") + name + "("
    params = []
    for p in md.findall("param"):
        ptype = re.sub(r"\s+", " ", text_of(p.find("type"))).strip()
        pname = p.findtext("declname") or ""
        if pname and not ptype.endswith("*"):
            ptype += " "
        params.append((ptype, pname, p.findtext("array") or ""))
    if not params or params == [("void", "", "")]:
        params = [("void", "", "")]

    def q(s):
        return '"' + s.replace("\\", "\\e").replace("-", "\\-") \
            .replace('"', "\\(dq") + '"'

    lines, parts, bold = [], [], head
    width, indent = len(head), " " * len(head)
    for i, (ptype, pname, arr) in enumerate(params):
        tail = ");" if i == len(params) - 1 else ","
        piece = len(ptype) + len(pname) + len(arr) + len(tail) + 1
        if width + piece > 72 and width > len(indent):
            parts.append(bold)
            lines.append(parts)
            parts, bold, width = [], indent, len(indent)
        elif bold and width > len(head) and not bold.endswith("("):
            bold += " "
        bold += ptype
        if pname:
            parts += [bold, pname]
            bold = arr + tail
        else:
            bold += tail
        width += piece
    parts.append(bold)
    lines.append(parts)
    out = []
    for parts in lines:
        args = [q(x) for x in parts]
        out.append((".BI " if len(args) > 1 else ".B ") + " ".join(args))
    return out


def name_line(brief):
    """The NAME summary: the first sentence, lower-case start, no period."""
    s = re.sub(r"\s+", " ", brief).strip()
    if s.endswith("."):
        s = s[:-1]
    if re.match(r"^[A-Z][a-z]+\b", s):
        s = s[0].lower() + s[1:]
    return esc(s)


def th(name, version):
    """The title line; no hyphenation and a ragged right edge, so that
    identifiers stay whole."""
    return '.TH "%s" 3 "" "bsdsock %s" "%s"\n.nh\n.ad l' % (name, version,
                                                          TITLE)


def synopsis_head():
    return [".SH SYNOPSIS", ".nf", ".B #include <bsdsock/bsdsock.h>", ".fi",
            ".PP",
            "Link with \\fI\\-lbsdsock\\fR "
            "(\\fBpkg\\-config \\-\\-libs bsdsock\\fR).",
            ".PP", ".nf"]


# Where a call can fail: where its codes come from and which rules pick one.
ERRORS = [
    ".SH ERRORS", ".PP",
    "Errors are negative codes of \\fB<bsdsock/errno.h>\\fR "
    "(\\fBBSDSOCK_E\\fR*, and \\fBBSDSOCK_EAI_\\fR* from the resolver), "
    "the same on every platform; \\fBbsdsock_strerror\\fR(3) gives their "
    "messages and \\fBbsdsock_err_name\\fR(3) their names. When several "
    "arguments are bad, or the call is made in the wrong state, the rules in "
    "\\fBbsdsock\\fR(3) decide the code, on every platform; "
    "\\fBbsdsock_last_native_error\\fR(3) gives the system's own code "
    "behind a failure."]


def can_fail(returns):
    """Whether a @return text says the call can fail: it names an error,
    an error code, or another call whose results it shares."""
    codes = set(re.findall(r"\bBSDSOCK_E[A-Z_0-9]*", returns))
    return bool(re.search(r"\b(an|negative|another) error\b|^\s*as bsdsock_",
                          returns, re.I) or codes - {"BSDSOCK_EUNKNOWN"})


def function_page(md, funcs, version):
    name = md.findtext("name")
    r = Render(funcs, name)
    brief_lines, desc, ret = [], [], []
    r.blocks(md.find("briefdescription"), brief_lines)
    r.blocks(md.find("detaileddescription"), desc)
    for p in r.returns:
        r.para(p, ret)
    # "@return the new descriptor ..." reads as a sentence in the page.
    if len(ret) > 1 and re.match(r"[a-z]", ret[1]):
        ret[1] = ret[1][0].upper() + ret[1][1:]
    summary = name_line(text_of(md.find("briefdescription")))
    out = [th(name, version), ".SH NAME", "%s \\- %s" % (esc(name), summary)]
    out += synopsis_head()
    out += prototype(md)
    out += [".fi", ".SH DESCRIPTION"]
    out += brief_lines + desc
    if ret:
        out.append(".SH RETURN VALUE")
        out += ret
        if can_fail(" ".join(text_of(p) for p in r.returns)):
            out += ERRORS
    see = ["bsdsock"] + r.refs
    out.append(".SH SEE ALSO")
    out += [".BR %s (3)%s" % (x, "," if i < len(see) - 1 else "")
            for i, x in enumerate(see)]
    return "\n".join(out) + "\n"


def header_label(fname):
    return "<%s>" % fname


def overview_page(files, funcs, version, htmldir):
    r = Render(funcs, "bsdsock")
    umbrella = next((f for f in files if f["name"] == UMBRELLA), None)
    out = [th("bsdsock", version), ".SH NAME",
           "bsdsock \\- one socket API over Berkeley sockets and Winsock"]
    out += synopsis_head()[:-2]
    out.append(".SH DESCRIPTION")
    if umbrella is not None:
        r.blocks(umbrella["def"].find("detaileddescription"), out)
    for f in files:
        if f is umbrella or not f["documented"]:
            continue
        out.append(".SS %s" % esc(header_label(f["name"])))
        brief = text_of(f["def"].find("briefdescription")).strip()
        brief = re.sub(r"^\S+\s+-\s+", "", brief)
        out += [".PP", line(esc(brief[:1].upper() + brief[1:]))]
        r.blocks(f["def"].find("detaileddescription"), out)
    out.append(".SH FUNCTIONS")
    for f in files:
        if not f["documented"]:
            continue
        last = ()
        for header, md in functions_of(f["def"]):
            if header != last:
                out.append(".SS %s" % esc(header or header_label(f["name"])))
                last = header
            out += [".TP", ".BR %s (3)" % md.findtext("name"),
                    line(name_line(text_of(md.find("briefdescription"))))]
    out += [".SH FILES", ".TP", ".I %s" % esc(os.path.join(htmldir,
                                                         "index.html")),
            "this reference in HTML" + ("" if os.path.isabs(htmldir) else
                                        ", under the installation prefix")]
    out += [".SH SEE ALSO",
            "docs/porting.md (BSD sockets and Winsock calls and their bsdsock "
            "counterparts), docs/design.md, docs/quirks.md, docs/readiness.md "
            "and docs/compat.md in bsdsock's source."]
    return "\n".join(out) + "\n"


# ---- main ------------------------------------------------------------------

def check(xmldir, names):
    files = load_files(xmldir)
    found = {}
    for f in files:
        for _, md in functions_of(f["def"]):
            found[md.findtext("name")] = (f, md)
    problems = []
    for n in names:
        if n not in found:
            problems.append("%s: not in the API reference (is its header in "
                            "docs/Doxyfile's INPUT?)" % n)
            continue
        f, md = found[n]
        if not f["documented"]:
            problems.append("%s: its header %s has no @file comment, so "
                            "Doxygen leaves it out" % (n, f["name"]))
        elif not documented(md):
            problems.append("%s (%s): no documentation comment" %
                            (n, f["name"]))
    for p in problems:
        print(p)
    return 1 if problems else 0


def generate(xmldir, outdir, version, htmldir):
    files = load_files(xmldir)
    funcs, pages = set(), []
    for f in files:
        if not f["documented"]:
            continue
        for _, md in functions_of(f["def"]):
            if documented(md):
                funcs.add(md.findtext("name"))
                pages.append(md)
            else:
                print("doxygen-man: %s is not documented; no page" %
                      md.findtext("name"), file=sys.stderr)
    os.makedirs(outdir, exist_ok=True)
    for md in pages:
        with open(os.path.join(outdir, md.findtext("name") + ".3"), "w",
                  encoding="utf-8") as fh:
            fh.write(function_page(md, funcs, version))
    with open(os.path.join(outdir, "bsdsock.3"), "w", encoding="utf-8") as fh:
        fh.write(overview_page(files, funcs, version, htmldir))
    print("doxygen-man: %d function pages and bsdsock.3 in %s" %
          (len(pages), outdir))
    return 0


def main(argv):
    ap = argparse.ArgumentParser(
        description="Man pages, one per public function, from Doxygen's XML.")
    ap.add_argument("--check", action="store_true",
                    help="only check that NAME... are documented")
    ap.add_argument("--version", default="", help="bsdsock's version")
    ap.add_argument("--htmldir", default="share/doc/bsdsock/html",
                    help="where the HTML reference is installed")
    ap.add_argument("xmldir", help="Doxygen's XML output")
    ap.add_argument("rest", nargs="*",
                    help="OUTDIR, or with --check the function names")
    a = ap.parse_args(argv[1:])
    if a.check:
        return check(a.xmldir, a.rest)
    if len(a.rest) != 1:
        ap.error("one OUTDIR expected")
    return generate(a.xmldir, a.rest[0], a.version, a.htmldir)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
