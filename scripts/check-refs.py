#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-refs: every reference in the tree must resolve inside the tree.

Usage: python3 scripts/check-refs.py [--root DIR]

Scans the files git tracks (`git ls-files`), skipping binary files (a NUL
byte, or not UTF-8) and this script itself (it has to name the documents it
forbids). Prints one line per problem, `path:line: message`, then a summary
line `check-refs: N files, M ID citations, K path citations, P problems`,
and exits 1 if there is any problem (0 if none, 2 if git fails).

Three kinds of problem:

1. An ID cited with no entry in docs/quirks.md. The catalogue defines an ID
   by an explicit anchor, `<a id="q45"></a>` (quirks Q, faults F, benchmark
   scenarios S, fuzz targets Z). An ID is a capital Q, F, S or Z followed by
   one or two digits, standing alone as a word. It counts as a citation
   only in comments and prose, and only in one of these contexts:
     a. after one of the words quirk(s), fault(s), scenario(s), anchor(s) or
        fuzz target(s), as a list: "quirk Q45", "quirks Q12, Q13",
        "faults F4/F19", "fuzz targets Z1, Z2 and Z4";
     b. inside parentheses, as an item of a list: preceded by "(", ",", ";",
        ":" or "/" and followed by ")", ",", ";", ":", "/" or a range dash,
        e.g. "(Q20)", "(Q35, F27)", "(F4, CVE-2011-0719)", "(Q31: readable)";
     c. a range anywhere: "Q34-Q36", "Q34–Q36", "S1..S11" (every ID in the
        range counts);
     d. a list of two or more IDs anywhere: "F4, F19", "Q12/Q13",
        "Z1, Z2 and Z4";
     e. in Markdown, a table cell holding nothing but such IDs ("| S1 |").
   Comments and prose are: Markdown outside fenced code blocks; /* */ and //
   comments in C and C++ files (string and character literals are not
   comments); # comments (at the start of a line or after a blank) in
   Python, shell, CMake, YAML, *.in files and scripts with a #! line
   (Python docstrings are code here). Code,
   string literals (e.g. bench/main.c's "S1" keys), hex constants (0xF1)
   and identifiers (MREQ6, S1 as a variable name) never count. docs/quirks.md
   is not scanned for IDs: it is where they are defined.

2. A citation of a repository path that does not exist. Anywhere in a file
   (code included), a token that starts with src/, include/, tests/, docs/,
   scripts/, bench/, examples/ or cmake/ and is not part of a longer path or
   URL (nothing of [A-Za-z0-9_./-$@~] right before it) must name a tracked
   file when its last part has an extension, or a directory holding tracked
   files when it ends with "/"; other tokens (install locations such as
   include/bsdsock/compat, prose such as "src/posix and src/win32") are not
   checked. A bare README.md must exist at the top. Patterns are allowed and
   must match something tracked: {posix,win32} braces are expanded (every
   alternative must exist), and <backend>, ${VAR} and * match within one
   path component. Markdown link
   targets ([text](target), not URLs) are resolved against the linking
   file's directory and must exist too. A fragment (path.md#q45, or a
   link's #anchor) must be an explicit <a id> or a heading of that Markdown
   file (GitHub's heading slugs).

3. A citation of a document that lives outside the repository: DESIGN.md,
   anchors-semantics.md, anchors-perf-reliability.md, anchors-style.md
   (anywhere, in any tracked file, docs/quirks.md included).
"""

import os
import re
import subprocess
import sys

CATALOGUE = "docs/quirks.md"
SELF = "scripts/check-refs.py"
KIND = {"Q": "quirk", "F": "fault", "S": "benchmark scenario",
        "Z": "fuzz target"}

# Documents that earlier work cited but that are not in the repository.
OUTSIDE = ("DESIGN.md", "anchors-semantics.md", "anchors-perf-reliability.md",
           "anchors-style.md")

C_EXT = {".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh"}
HASH_EXT = {".py", ".sh", ".bash", ".cmake", ".in", ".yml", ".yaml",
            ".toml", ".cfg", ".ini", ".mk"}
HASH_NAMES = {"CMakeLists.txt", "Makefile", ".gitignore", ".gitattributes",
              ".clang-format", ".clang-tidy", "Dockerfile"}
MD_EXT = {".md", ".markdown"}

# ---- ID patterns ------------------------------------------------------------

ID = r"(?<![A-Za-z0-9_])[QFSZ][0-9]{1,2}(?![A-Za-z0-9_])"
DASH = r"\s*(?:-|–|—|\.\.)\s*"
ITEM = rf"{ID}(?:{DASH}{ID})?"
SEP = r"(?:\s*[,/&]\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+)"
LIST = rf"{ITEM}(?:{SEP}{ITEM})*"
MULTI_RE = re.compile(rf"{ITEM}(?:{SEP}{ITEM})+")
TRIGGER_RE = re.compile(
    rf"(?<![A-Za-z])(?i:quirks?|faults?|scenarios?|anchors?|fuzz\s+targets?)"
    rf"\s+(?:(?i:numbers?|ids?)\s+)?({LIST})")
ID_RE = re.compile(ID)
RANGE_RE = re.compile(rf"({ID}){DASH}({ID})")
ONE_ID_RE = re.compile(r"([QFSZ])([0-9]{1,2})")
CELL_RE = re.compile(rf"^\s*{LIST}\s*$")
LEFT_OK = set("(,;:/")
RIGHT_OK = set("),;:/")
RIGHT_DASH_RE = re.compile(DASH + ID)

# ---- path patterns ----------------------------------------------------------

TOPS = ("src", "include", "tests", "docs", "scripts", "bench", "examples",
        "cmake")
PATH_START_RE = re.compile(
    r"(?<![A-Za-z0-9_./\-$@~])(?:%s)/" % "|".join(TOPS))
README_RE = re.compile(r"(?<![A-Za-z0-9_./\-$@~])README\.md(?![A-Za-z0-9_])")
OUTSIDE_RE = re.compile(r"(?<![A-Za-z0-9_.\-])(%s)(?![A-Za-z0-9_])" %
                        "|".join(re.escape(n) for n in OUTSIDE))
MD_LINK_RE = re.compile(r"\]\(\s*<?([^()\s<>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
PATH_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                 "0123456789_.-/*")
EXT_RE = re.compile(r"\.[A-Za-z0-9]{1,8}$")
ANCHOR_ID_RE = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"", re.I)


def run_git(root, *args):
    return subprocess.run(["git", "-C", root, *args], check=True,
                          stdout=subprocess.PIPE).stdout


def line_of(starts, offset):
    """1-based line number of offset, given the offsets where lines start."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


def line_starts(text):
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


# ---- what counts as comments and prose -------------------------------------

def blank(chunk):
    """chunk with everything but newlines turned into spaces."""
    return re.sub(r"[^\n]", " ", chunk)


C_TOKEN_RE = re.compile(r"/\*.*?(?:\*/|\Z)|//[^\n]*"
                        r"|\"(?:\\.|[^\"\\\n])*\"?|'(?:\\.|[^'\\\n])*'?", re.S)


def mask_c(text):
    """Keeps the comments of C/C++ text; code and literals become spaces."""
    out, last = [], 0
    for m in C_TOKEN_RE.finditer(text):
        if m.group(0)[0] == "/":
            out.append(blank(text[last:m.start()]))
            out.append(m.group(0))
            last = m.end()
    out.append(blank(text[last:]))
    # Comment leaders (" * " and "//" at the start of a line) are layout,
    # not text: "quirk\n * Q16" reads as "quirk Q16".
    return LEADER_C_RE.sub(lambda m: " " * len(m.group(0)), "".join(out))


LEADER_C_RE = re.compile(r"(?m)^[ \t]*(?:\*+(?!/)|//+)")


HASH_COMMENT_RE = re.compile(r"(^|[ \t])#")


def mask_hash(text):
    """Keeps # comments (at line start or after a blank), blanks the rest."""
    out = []
    for line in text.split("\n"):
        m = HASH_COMMENT_RE.search(line)
        if m:
            k = m.end() - 1
            out.append(" " * k + line[k:])
        else:
            out.append(" " * len(line))
    return LEADER_HASH_RE.sub(lambda m: " " * len(m.group(0)), "\n".join(out))


LEADER_HASH_RE = re.compile(r"(?m)^[ \t]*#+")
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def mask_md(text):
    """Blanks fenced code blocks of Markdown text."""
    out, fence = [], None
    for line in text.split("\n"):
        m = FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group(1)
            out.append(" " * len(line))
        elif fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            out.append(" " * len(line))
        else:
            out.append(line)
    return "\n".join(out)


def prose_of(path, text):
    """The file's comments/prose with positions kept, or None."""
    name = os.path.basename(path)
    ext = os.path.splitext(name)[1].lower()
    if ext in MD_EXT:
        return mask_md(text)
    if ext in C_EXT:
        return mask_c(text)
    if (ext in HASH_EXT or name in HASH_NAMES or text.startswith("#!")
            or path.startswith(".ci/")):
        return mask_hash(text)
    return None


# ---- IDs ---------------------------------------------------------------------

def expand(token_a, token_b=None):
    """IDs named by one token or a range of two tokens of the same kind."""
    a = ONE_ID_RE.fullmatch(token_a)
    if token_b is None:
        return [token_a]
    b = ONE_ID_RE.fullmatch(token_b)
    if a.group(1) != b.group(1):
        return [token_a, token_b]
    lo, hi = int(a.group(2)), int(b.group(2))
    if lo > hi or hi - lo > 99:
        return [token_a, token_b]
    return ["%s%d" % (a.group(1), k) for k in range(lo, hi + 1)]


def ids_in_list(s, base):
    """(offset, id) for every ID in a LIST match, ranges expanded."""
    found, used = [], set()
    for m in RANGE_RE.finditer(s):
        for x in expand(m.group(1), m.group(2)):
            found.append((base + m.start(), x))
        used.update(range(m.start(), m.end()))
    for m in ID_RE.finditer(s):
        if m.start() not in used:
            found.append((base + m.start(), m.group(0)))
    return found


def in_parens(text, pos):
    """True if an unmatched '(' precedes pos in the same paragraph."""
    depth, i, lo = 0, pos - 1, max(0, pos - 400)
    while i >= lo:
        c = text[i]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                return True
            depth -= 1
        elif c == "\n":
            # A line with nothing but spaces (a blank line, or masked code)
            # ends the paragraph.
            j = text.rfind("\n", lo, i)
            if text[j + 1:i].strip() == "":
                return False
        i -= 1
    return False


def neighbour(text, pos, step):
    """First character from pos going by step that is not a blank or a
    comment leader (' * ' at the start of a C comment line, '#', '//')."""
    i = pos
    while 0 <= i < len(text):
        c = text[i]
        if c in " \t\n\r*#":
            i += step
            continue
        if c == "/" and 0 <= i + step < len(text) and text[i + step] == "/":
            i += 2 * step
            continue
        return c
    return ""


def id_citations(text, is_md):
    """(offset, id) for every ID citation in masked text."""
    cites, seen, starts = [], set(), set()

    def add(items):
        for off, x in items:
            if (off, x) not in seen:
                seen.add((off, x))
                starts.add(off)
                cites.append((off, x))

    for m in TRIGGER_RE.finditer(text):
        add(ids_in_list(m.group(1), m.start(1)))
    for m in RANGE_RE.finditer(text):
        add((m.start(), x) for x in expand(m.group(1), m.group(2)))
    for m in MULTI_RE.finditer(text):
        add(ids_in_list(m.group(0), m.start()))
    for m in ID_RE.finditer(text):
        if m.start() in starts:
            continue
        left = neighbour(text, m.start() - 1, -1)
        right = neighbour(text, m.end(), 1)
        right_ok = right in RIGHT_OK or RIGHT_DASH_RE.match(text, m.end())
        if left in LEFT_OK and right_ok and in_parens(text, m.start()):
            add([(m.start(), m.group(0))])
    if is_md:
        pos = 0
        for line in text.split("\n"):
            if line.lstrip().startswith("|"):
                cell_pos = pos + line.index("|") + 1
                for cell in line.strip().strip("|").split("|"):
                    if CELL_RE.match(cell):
                        add(ids_in_list(cell, cell_pos))
                    cell_pos += len(cell) + 1
            pos += len(line) + 1
    return cites


# ---- paths -------------------------------------------------------------------

def slug(heading):
    """GitHub's anchor for a Markdown heading's text."""
    s = re.sub(r"<[^>]*>", "", heading).strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors_of(text):
    found = set(a for a in ANCHOR_ID_RE.findall(text))
    counts = {}
    for line in mask_md(text).split("\n"):
        m = re.match(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            s = slug(m.group(1))
            k = counts.get(s, 0)
            counts[s] = k + 1
            found.add(s if k == 0 else "%s-%d" % (s, k))
    return found


def read_path_token(text, i):
    """The path token starting at i: ends at a character that cannot be in
    a path; {a,b} and ${VAR} and <name> are taken whole."""
    j, n = i, len(text)
    while j < n:
        c = text[j]
        if c in PATH_CHARS:
            j += 1
        elif c in "{<" or (c == "$" and j + 1 < n and text[j + 1] == "{"):
            close = "}" if c != "<" else ">"
            k = text.find(close, j)
            if k < 0 or k - j > 60 or "\n" in text[j:k] or " " in text[j:k]:
                break
            j = k + 1
        else:
            break
    tok = text[i:j]
    while tok and tok[-1] in ".,:;-":
        tok = tok[:-1]
    return tok


def brace_expand(tok):
    m = re.search(r"\{([^{}]*)\}", tok)
    if not m or tok[m.start() - 1:m.start()] == "$":
        if m and tok[m.start() - 1:m.start()] == "$":
            return brace_expand(tok[:m.start() - 1] + "\0" + tok[m.end():])
        return [tok]
    out = []
    for alt in m.group(1).split(","):
        out.extend(brace_expand(tok[:m.start()] + alt + tok[m.end():]))
    return out


def pattern_re(tok):
    """A regex for a path pattern, or None if tok has no wildcard."""
    if not re.search(r"[*<\0]", tok):
        return None
    parts = re.split(r"(<[^<>]*>|\*|\0)", tok)
    rx = "".join("[^/]+" if p.startswith("<") or p == "\0"
                 else "[^/]*" if p == "*" else re.escape(p) for p in parts)
    return re.compile(rx)


class Tree:
    def __init__(self, files):
        self.files = set(files)
        self.dirs = set()
        for f in files:
            d = os.path.dirname(f)
            while d:
                self.dirs.add(d)
                d = os.path.dirname(d)

    def has(self, path, want):
        """want: 'file', 'dir' or 'any'. Every alternative of a {a,b}
        pattern must exist; a wildcard must match something."""
        path = path.rstrip("/") if want != "file" else path
        return all(self.has_one(alt, want) for alt in brace_expand(path))

    def has_one(self, path, want):
        rx = pattern_re(path)
        if rx is None:
            return ((want in ("file", "any") and path in self.files) or
                    (want in ("dir", "any") and path in self.dirs))
        pool = (self.files if want == "file" else self.dirs
                if want == "dir" else self.files | self.dirs)
        return any(rx.fullmatch(p) for p in pool)


# ---- the scan ----------------------------------------------------------------

def main(argv):
    root = None
    if len(argv) == 3 and argv[1] == "--root":
        root = argv[2]
    elif len(argv) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    if root is None:
        here = os.path.dirname(os.path.abspath(__file__))
        try:
            root = run_git(here, "rev-parse", "--show-toplevel").decode().strip()
        except (OSError, subprocess.CalledProcessError):
            print("check-refs: not in a git work tree", file=sys.stderr)
            return 2
    try:
        listed = run_git(root, "ls-files", "-z").decode().split("\0")
    except (OSError, subprocess.CalledProcessError):
        print("check-refs: git ls-files failed in %s" % root, file=sys.stderr)
        return 2
    listed = [f for f in listed if f]
    tree = Tree(listed)

    texts = {}
    for f in listed:
        try:
            with open(os.path.join(root, f), "rb") as fh:
                data = fh.read()
        except OSError:
            continue  # deleted in the work tree but still in the index
        if b"\0" in data[:8192]:
            continue
        try:
            texts[f] = data.decode("utf-8")
        except UnicodeDecodeError:
            continue

    problems = []
    defined = set()
    md_anchors = {}

    def anchors(md_path):
        if md_path not in md_anchors:
            text = texts.get(md_path)
            md_anchors[md_path] = anchors_of(text) if text is not None else None
        return md_anchors[md_path]

    if CATALOGUE in texts:
        for a in ANCHOR_ID_RE.findall(texts[CATALOGUE]):
            if re.fullmatch(r"[qfsz][0-9]{1,2}", a):
                defined.add(a.upper())
    else:
        problems.append((CATALOGUE, 1, "the catalogue of IDs is missing"))

    n_files = n_ids = n_paths = 0
    for f in sorted(texts):
        if f == SELF:
            continue
        n_files += 1
        text = texts[f]
        starts = line_starts(text)
        is_md = os.path.splitext(f)[1].lower() in MD_EXT

        # 1. IDs
        prose = prose_of(f, text) if f != CATALOGUE else None
        if prose is not None:
            for off, x in sorted(id_citations(prose, is_md)):
                n_ids += 1
                if x not in defined:
                    problems.append((f, line_of(starts, off),
                                     "%s %s has no entry in %s"
                                     % (KIND[x[0]], x, CATALOGUE)))

        # 2. paths
        def check_fragment(target, frag, off):
            if not frag or not target.endswith(".md"):
                return
            a = anchors(target)
            if a is not None and frag not in a:
                problems.append((f, line_of(starts, off),
                                 "%s#%s: no such anchor in %s"
                                 % (target, frag, target)))

        # Markdown link targets are checked below, relative to the file.
        link_spans = ([m.span(1) for m in MD_LINK_RE.finditer(mask_md(text))]
                      if is_md else [])
        for m in PATH_START_RE.finditer(text):
            if any(a <= m.start() < b for a, b in link_spans):
                continue
            tok = read_path_token(text, m.start())
            if tok.endswith("/"):
                want = "dir"
            elif EXT_RE.search(tok.rsplit("/", 1)[-1]):
                want = "file"
            else:
                continue
            n_paths += 1
            off = m.start()
            if not tree.has(tok, want):
                problems.append((f, line_of(starts, off),
                                 "cites %s, which is not in the tree" % tok))
                continue
            end = off + len(tok)
            fm = re.match(r"#([A-Za-z0-9_\-]+)", text[end:end + 80])
            if fm and want == "file":
                check_fragment(tok, fm.group(1), off)
        for m in README_RE.finditer(text):
            n_paths += 1
            if "README.md" not in tree.files:
                problems.append((f, line_of(starts, m.start()),
                                 "cites README.md, which is not in the tree"))
        if is_md:
            masked = mask_md(text)
            for m in MD_LINK_RE.finditer(masked):
                target = m.group(1)
                if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", target):
                    continue  # a URL (https:, mailto:, ...)
                n_paths += 1
                path, _, frag = target.partition("#")
                if path == "":
                    check_fragment(f, frag, m.start(1))
                    continue
                if path.startswith("/"):
                    full = path.lstrip("/")
                else:
                    full = os.path.normpath(
                        os.path.join(os.path.dirname(f), path))
                full = full.replace(os.sep, "/")
                if full == ".":
                    continue
                if not tree.has(full, "any"):
                    problems.append((f, line_of(starts, m.start(1)),
                                     "links to %s (%s), which is not in the "
                                     "tree" % (target, full)))
                    continue
                check_fragment(full, frag, m.start(1))

        # 3. documents outside the tree
        for m in OUTSIDE_RE.finditer(text):
            problems.append((f, line_of(starts, m.start()),
                             "cites %s, a document outside the repository"
                             % m.group(1)))

    problems.sort(key=lambda p: (p[0], p[1], p[2]))
    for path, line, msg in problems:
        print("%s:%d: %s" % (path, line, msg))
    print("check-refs: %d files, %d ID citations, %d path citations, "
          "%d problems" % (n_files, n_ids, n_paths, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
