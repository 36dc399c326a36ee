#!/usr/bin/env python3
"""Check a OneWindow catalog file (data/catalog.json) against the shape in HACKING.md ("Catalog")
and the limits of GB/T 39046 and GB 32100.

    check-catalog.py CATALOG.json          exit 0 when valid; otherwise exit 1 and print each problem
                                           as "<where>: <field>: <message>" on stderr
    check-catalog.py --self-test CATALOG.json
                                           check that CATALOG.json passes, then write corrupted copies
                                           of it into a temporary folder and assert that the checker
                                           rejects every one of them, for the expected reason

Python 3 standard library only.
"""

import copy
import json
import os
import re
import subprocess
import sys
import tempfile

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

TYPES = {"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20"}
SIX_PLUS_ONE = {"01": "行政许可", "07": "行政确认", "09": "行政裁决", "08": "行政奖励",
                "05": "行政给付", "10": "其他", "20": "公共服务"}
LEVELS = {"province", "city", "county", "township"}
TARGETS = {1, 2, 3, 4, 5, 6}
FORMS = {1, 2, 3, 4, 9}
MATERIAL_FORMS = {"paper", "electronic", "either"}
SOURCES = {"applicant", "government", "other"}

MIN_ITEMS = 120
MIN_DEPARTMENTS = 12
MIN_BUNDLES = 5
MAX_ID = 24
MAX_BASIC_CODE = 10
MAX_NAME = 200

# Field name -> expected kind. "str" strings, "int" integers (not booleans), "bool" booleans,
# "ints" / "strs" lists of those, "list" / "dict" containers checked separately.
TOP_FIELDS = {"revision": "int", "hall": "dict", "departments": "list", "items": "list",
              "bundles": "list"}
HALL_FIELDS = {"code": "str", "name": "str", "region": "str"}
DEPARTMENT_FIELDS = {"name": "str", "code": "str", "short": "str"}
ITEM_FIELDS = {
    "id": "str", "basic_code": "str", "name": "str", "aliases": "strs", "type": "str",
    "level": "str", "department": "str", "department_code": "str",
    "legal_limit": "int", "promised_limit": "int",
    "conditions": "str", "process": "str", "quantity_limit": "str",
    "result_name": "str", "result_sample": "str",
    "charged": "bool", "fee_basis": "str",
    "place": "str", "hours": "str", "phone": "str", "supervision_phone": "str",
    "visits": "int", "targets": "ints", "forms": "ints",
    "materials": "list", "faq": "list",
}
MATERIAL_FIELDS = {
    "id": "str", "name": "str", "issuer": "str", "originals": "int", "copies": "int",
    "required": "bool", "form": "str", "source": "str", "source_label": "str",
    "shared_exempt": "bool", "licence_exempt": "bool", "tolerable": "bool",
    "standard": "str", "notes": "str", "blank_form": "str", "sample": "str",
}
FAQ_FIELDS = {"q": "str", "a": "str"}
PHONE = re.compile(r"^(0\d{2,3}-)?\d{5,8}$")
BUNDLE_FIELDS = {"id": "str", "name": "str", "description": "str", "items": "strs"}


def credit_code_valid(code):
    """GB 32100: 18 characters of the alphabet, the last one the check character."""
    if len(code) != 18 or any(ch not in CREDIT_ALPHABET for ch in code):
        return False
    total = sum(CREDIT_ALPHABET.index(ch) * w for ch, w in zip(code[:17], CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31] == code[17]


def is_kind(value, kind):
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list)
    if kind == "dict":
        return isinstance(value, dict)
    if kind == "strs":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "ints":
        return isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool)
                                               for v in value)
    raise ValueError(kind)


KIND_NAMES = {"str": "a string", "int": "an integer", "bool": "a boolean", "list": "a list",
              "dict": "an object", "strs": "a list of strings", "ints": "a list of integers"}


class Checker:
    def __init__(self):
        self.problems = []

    def fail(self, where, field, message):
        self.problems.append("%s: %s: %s" % (where, field, message))

    def fields(self, where, obj, spec):
        """Exactly the fields of spec, each of its kind. Returns False when obj is unusable."""
        if not isinstance(obj, dict):
            self.fail(where, "-", "must be an object")
            return False
        for name in obj:
            if name not in spec:
                self.fail(where, name, "unknown field")
        ok = True
        for name, kind in spec.items():
            if name not in obj:
                self.fail(where, name, "missing field")
                ok = False
            elif obj[name] is None:
                self.fail(where, name, "is null; must be %s" % KIND_NAMES[kind])
                ok = False
            elif not is_kind(obj[name], kind):
                self.fail(where, name, "must be %s" % KIND_NAMES[kind])
                ok = False
        return ok

    def nonempty(self, where, obj, *names):
        for name in names:
            if isinstance(obj.get(name), str) and not obj[name].strip():
                self.fail(where, name, "must not be empty")

    def check(self, catalog):
        if not self.fields("catalog", catalog, TOP_FIELDS):
            if not isinstance(catalog, dict):
                return
        if is_kind(catalog.get("revision"), "int") and catalog["revision"] < 1:
            self.fail("catalog", "revision", "must be at least 1")

        hall = catalog.get("hall")
        if self.fields("hall", hall, HALL_FIELDS):
            if not (len(hall["code"]) == 8 and hall["code"].isdigit()):
                self.fail("hall", "code", "must be 8 digits, got %r" % hall["code"])
            if not (len(hall["region"]) == 6 and hall["region"].isdigit()):
                self.fail("hall", "region", "must be a 6-digit region code, got %r" % hall["region"])
            self.nonempty("hall", hall, "name")

        departments = {}
        codes = set()
        shorts = set()
        for n, dept in enumerate(catalog.get("departments") or []):
            where = "department #%d" % (n + 1)
            if not self.fields(where, dept, DEPARTMENT_FIELDS):
                continue
            where = "department %s" % dept["name"]
            self.nonempty(where, dept, "name", "short")
            if not credit_code_valid(dept["code"]):
                self.fail(where, "code", "invalid unified social credit code %r" % dept["code"])
            if dept["name"] in departments:
                self.fail(where, "name", "duplicate department")
            if dept["code"] in codes:
                self.fail(where, "code", "duplicate credit code %r" % dept["code"])
            if dept["short"] in shorts:
                self.fail(where, "short", "duplicate short name %r" % dept["short"])
            departments[dept["name"]] = dept["code"]
            codes.add(dept["code"])
            shorts.add(dept["short"])
        if isinstance(catalog.get("departments"), list) and len(departments) < MIN_DEPARTMENTS:
            self.fail("catalog", "departments",
                      "%d departments, at least %d required" % (len(departments), MIN_DEPARTMENTS))

        ids = set()
        types = set()
        items = catalog.get("items") if isinstance(catalog.get("items"), list) else []
        for n, item in enumerate(items):
            where = "item #%d" % (n + 1)
            if not isinstance(item, dict):
                self.fail(where, "-", "must be an object")
                continue
            if isinstance(item.get("id"), str):
                where = "item %s" % item["id"]
                if isinstance(item.get("name"), str):
                    name = item["name"]
                    where += " (%s)" % (name if len(name) <= 40 else name[:40] + "…")
            usable = self.fields(where, item, ITEM_FIELDS)
            if isinstance(item.get("id"), str):
                if item["id"] in ids:
                    self.fail(where, "id", "duplicate item id")
                ids.add(item["id"])
            if not usable:
                continue
            self.check_item(where, item, departments)
            types.add(item["type"])
        if isinstance(catalog.get("items"), list) and len(items) < MIN_ITEMS:
            self.fail("catalog", "items", "%d items, at least %d required" % (len(items), MIN_ITEMS))
        for code, label in sorted(SIX_PLUS_ONE.items()):
            if items and code not in types:
                self.fail("catalog", "items", "no item of type %s (%s); all \"6+1\" types are required"
                          % (code, label))

        bundle_ids = set()
        bundles = catalog.get("bundles") if isinstance(catalog.get("bundles"), list) else []
        if isinstance(catalog.get("bundles"), list) and len(bundles) < MIN_BUNDLES:
            self.fail("catalog", "bundles",
                      "%d bundles, at least %d required" % (len(bundles), MIN_BUNDLES))
        for n, bundle in enumerate(bundles):
            where = "bundle #%d" % (n + 1)
            if not self.fields(where, bundle, BUNDLE_FIELDS):
                continue
            where = "bundle %s (%s)" % (bundle["id"], bundle["name"])
            self.nonempty(where, bundle, "id", "name", "description")
            if bundle["id"] in bundle_ids:
                self.fail(where, "id", "duplicate bundle id")
            bundle_ids.add(bundle["id"])
            if len(bundle["items"]) < 2:
                self.fail(where, "items", "a bundle needs at least 2 items")
            if len(set(bundle["items"])) != len(bundle["items"]):
                self.fail(where, "items", "names an item twice")
            for item_id in bundle["items"]:
                if item_id not in ids:
                    self.fail(where, "items", "unknown item %r" % item_id)

    def check_item(self, where, item, departments):
        self.nonempty(where, item, "id", "basic_code", "name", "conditions", "process",
                      "result_name", "place", "hours", "phone", "supervision_phone")
        if len(item["id"]) > MAX_ID:
            self.fail(where, "id", "%d characters, at most %d" % (len(item["id"]), MAX_ID))
        if len(item["basic_code"]) > MAX_BASIC_CODE:
            self.fail(where, "basic_code",
                      "%d characters, at most %d" % (len(item["basic_code"]), MAX_BASIC_CODE))
        if len(item["name"]) > MAX_NAME:
            self.fail(where, "name", "%d characters, at most %d" % (len(item["name"]), MAX_NAME))
        if item["type"] not in TYPES:
            self.fail(where, "type", "unknown item type %r" % item["type"])
        if item["level"] not in LEVELS:
            self.fail(where, "level", "unknown level %r" % item["level"])
        if item["department"] not in departments:
            self.fail(where, "department", "unknown department %r" % item["department"])
        elif departments[item["department"]] != item["department_code"]:
            self.fail(where, "department_code", "%r is not the credit code of %s"
                      % (item["department_code"], item["department"]))
        if not credit_code_valid(item["department_code"]):
            self.fail(where, "department_code",
                      "invalid unified social credit code %r" % item["department_code"])
        if item["legal_limit"] < 0:
            self.fail(where, "legal_limit", "must not be negative")
        if item["promised_limit"] < 0:
            self.fail(where, "promised_limit", "must not be negative")
        if item["promised_limit"] > item["legal_limit"]:
            self.fail(where, "promised_limit", "promised limit %d exceeds the legal limit %d"
                      % (item["promised_limit"], item["legal_limit"]))
        if item["charged"] and not item["fee_basis"].strip():
            self.fail(where, "fee_basis", "a charged item must state its fee and basis")
        if not item["charged"] and item["fee_basis"]:
            self.fail(where, "fee_basis", "an item without charge must have an empty fee basis")
        for name in ("phone", "supervision_phone"):
            if item[name] and not PHONE.match(item[name]):
                self.fail(where, name, "not a phone number: %r" % item[name])
        if not 0 <= item["visits"] <= 9:
            self.fail(where, "visits", "must be between 0 and 9, got %d" % item["visits"])
        if not item["targets"]:
            self.fail(where, "targets", "must not be empty")
        for t in item["targets"]:
            if t not in TARGETS:
                self.fail(where, "targets", "unknown target code %d" % t)
        if len(set(item["targets"])) != len(item["targets"]):
            self.fail(where, "targets", "repeats a code")
        if not item["forms"]:
            self.fail(where, "forms", "must not be empty")
        for f in item["forms"]:
            if f not in FORMS:
                self.fail(where, "forms", "unknown form code %d" % f)
        if len(set(item["forms"])) != len(item["forms"]):
            self.fail(where, "forms", "repeats a code")
        if item["visits"] == 0 and not set(item["forms"]) & {2, 3, 4}:
            self.fail(where, "forms", "a zero-trip item must be available online or by post (2, 3 or 4)")
        for alias in item["aliases"]:
            if not alias.strip():
                self.fail(where, "aliases", "empty alias")
        if not item["materials"]:
            self.fail(where, "materials", "must list at least one material")
        mids = set()
        for n, mat in enumerate(item["materials"]):
            mwhere = "%s material #%d" % (where, n + 1)
            if isinstance(mat, dict) and isinstance(mat.get("id"), str):
                mwhere = "%s material %s" % (where, mat["id"])
            if not self.fields(mwhere, mat, MATERIAL_FIELDS):
                continue
            self.nonempty(mwhere, mat, "id", "name", "source_label")
            if mat["id"] in mids:
                self.fail(mwhere, "id", "duplicate material id")
            mids.add(mat["id"])
            if mat["form"] not in MATERIAL_FORMS:
                self.fail(mwhere, "form", "unknown form %r" % mat["form"])
            if mat["source"] not in SOURCES:
                self.fail(mwhere, "source", "unknown source %r" % mat["source"])
            if mat["originals"] < 0 or mat["copies"] < 0:
                self.fail(mwhere, "originals", "counts must not be negative")
            if mat["originals"] + mat["copies"] == 0:
                self.fail(mwhere, "originals", "needs at least one original or copy")
        for n, qa in enumerate(item["faq"]):
            fwhere = "%s faq #%d" % (where, n + 1)
            if self.fields(fwhere, qa, FAQ_FIELDS):
                self.nonempty(fwhere, qa, "q", "a")


def reject_duplicate_keys(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError("duplicate key %r" % key)
        obj[key] = value
    return obj


def check_file(path):
    """Returns the list of problems of the catalog file at path."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        return ["%s: -: cannot read: %s" % (path, e)]
    try:
        catalog = json.loads(text, object_pairs_hook=reject_duplicate_keys)
    except ValueError as e:
        return ["%s: -: not valid JSON: %s" % (path, e)]
    checker = Checker()
    checker.check(catalog)
    if text != dump(catalog):
        checker.fail(path, "-", "not formatted as the project keeps it: UTF-8 (no \\u escapes), "
                     "2-space indent, one trailing newline (json.dumps(indent=2, ensure_ascii=False))")
    return checker.problems


def dump(catalog):
    return json.dumps(catalog, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# Self-test: corrupted copies must be rejected.

def corruptions(good):
    """Yields (name, expected text in the report, catalog or raw text) for each corruption."""
    def c():
        return copy.deepcopy(good)

    def item_of_type(cat, t):
        return next(i for i in cat["items"] if i["type"] == t)

    yield "bad-json", "not valid JSON", json.dumps(good, ensure_ascii=False)[:-2]
    yield "duplicate-key", "duplicate key", '{"revision": 1, "revision": 2}'

    cat = c(); del cat["items"][0]["process"]
    yield "missing-item-field", "process: missing field", cat
    cat = c(); cat["items"][0]["owner"] = "someone"
    yield "extra-item-field", "owner: unknown field", cat
    cat = c(); cat["items"][0]["legal_limit"] = "20"
    yield "string-limit", "legal_limit: must be an integer", cat
    cat = c(); cat["items"][0]["charged"] = 0
    yield "int-for-bool", "charged: must be a boolean", cat
    cat = c(); cat["items"][0]["fee_basis"] = None
    yield "null-field", "fee_basis: is null", cat
    cat = c(); del cat["items"][0]["materials"][0]["tolerable"]
    yield "missing-material-field", "tolerable: missing field", cat
    cat = c(); cat["items"][0]["materials"][0]["copies"] = True
    yield "bool-for-int", "copies: must be an integer", cat
    cat = c(); cat["items"][0]["materials"][0]["source"] = "self"
    yield "unknown-source", "unknown source", cat
    cat = c(); cat["items"][0]["materials"][0]["form"] = "fax"
    yield "unknown-material-form", "unknown form", cat
    cat = c(); del cat["departments"][0]["short"]
    yield "missing-department-field", "short: missing field", cat
    cat = c(); cat["hall"]["region"] = 460100
    yield "wrong-hall-type", "region: must be a string", cat
    cat = c(); cat["items"][1]["id"] = cat["items"][0]["id"]
    yield "duplicate-id", "duplicate item id", cat
    cat = c(); cat["items"][0]["id"] = "4" * 25
    yield "long-id", "id: 25 characters", cat
    cat = c(); cat["items"][0]["basic_code"] = "12345678901"
    yield "long-basic-code", "basic_code: 11 characters", cat
    cat = c(); cat["items"][0]["name"] = "办" * 201
    yield "long-name", "name: 201 characters", cat
    cat = c()
    code = cat["departments"][0]["code"]
    bad = code[:17] + CREDIT_ALPHABET[(CREDIT_ALPHABET.index(code[17]) + 1) % 31]
    for dept in cat["departments"][:1]:
        dept["code"] = bad
    for item in cat["items"]:
        if item["department_code"] == code:
            item["department_code"] = bad
    yield "bad-check-character", "invalid unified social credit code", cat
    cat = c(); cat["departments"][0]["code"] = cat["departments"][0]["code"][:5] + "I" + cat["departments"][0]["code"][6:]
    yield "bad-credit-alphabet", "invalid unified social credit code", cat
    cat = c(); cat["items"][0]["department_code"] = cat["departments"][1]["code"] \
        if cat["items"][0]["department"] != cat["departments"][1]["name"] else cat["departments"][0]["code"]
    yield "department-code-mismatch", "is not the credit code of", cat
    cat = c(); cat["items"][0]["department"] = "海口市不存在局"
    yield "unknown-department", "unknown department", cat
    cat = c(); cat["items"][0]["type"] = "99"
    yield "unknown-type", "unknown item type", cat
    cat = c(); cat["items"][0]["level"] = "national"
    yield "unknown-level", "unknown level", cat
    cat = c(); cat["items"][0]["targets"] = [1, 7]
    yield "unknown-target", "unknown target code 7", cat
    cat = c(); cat["items"][0]["forms"] = [1, 5]
    yield "unknown-form", "unknown form code 5", cat
    cat = c(); it = cat["items"][0]; it["promised_limit"] = it["legal_limit"] + 1
    yield "promised-over-legal", "exceeds the legal limit", cat
    cat = c(); cat["bundles"][0]["items"].append("460100NOSUCHITEM")
    yield "bundle-unknown-item", "unknown item '460100NOSUCHITEM'", cat
    cat = c(); cat["items"] = cat["items"][:MIN_ITEMS - 1]
    yield "too-few-items", "at least %d required" % MIN_ITEMS, cat
    cat = c(); cat["departments"] = cat["departments"][:MIN_DEPARTMENTS - 1]
    yield "too-few-departments", "at least %d required" % MIN_DEPARTMENTS, cat
    for t, label in sorted(SIX_PLUS_ONE.items()):
        cat = c()
        other = "01" if t != "01" else "20"
        for item in cat["items"]:
            if item["type"] == t:
                item["type"] = other
        yield "missing-type-%s" % t, "no item of type %s" % t, cat
    cat = c(); it = item_of_type(cat, "01"); it["charged"] = True; it["fee_basis"] = ""
    yield "charged-without-basis", "fee_basis: a charged item", cat
    cat = c(); cat["departments"][1]["short"] = cat["departments"][0]["short"]
    yield "duplicate-short", "duplicate short name", cat
    cat = c(); cat["items"][0]["phone"] = "call the hall"
    yield "bad-phone", "not a phone number", cat
    cat = c(); it = cat["items"][0]; it["visits"] = 0; it["forms"] = [1]
    yield "zero-trip-window-only", "a zero-trip item must be available online", cat
    cat = c(); cat["items"][0]["materials"][1]["id"] = cat["items"][0]["materials"][0]["id"]
    yield "duplicate-material-id", "duplicate material id", cat
    cat = c(); cat["bundles"] = cat["bundles"][:MIN_BUNDLES - 1]
    yield "too-few-bundles", "at least %d required" % MIN_BUNDLES, cat
    yield "ascii-escaped", "not formatted as the project keeps it", \
        json.dumps(good, ensure_ascii=True, indent=2) + "\n"


def self_test(path):
    problems = check_file(path)
    if problems:
        print("self-test: the catalog itself does not pass:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    with open(path, encoding="utf-8") as f:
        good = json.load(f)
    failures = 0
    count = 0
    with tempfile.TemporaryDirectory(prefix="catalog-selftest-") as tmp:
        for name, expected, corrupted in corruptions(good):
            count += 1
            bad_path = os.path.join(tmp, name + ".json")
            with open(bad_path, "w", encoding="utf-8") as f:
                f.write(corrupted if isinstance(corrupted, str) else dump(corrupted))
            # Run the checker as the test suite does: a separate process and its exit status.
            proc = subprocess.run([sys.executable, os.path.abspath(__file__), bad_path],
                                  capture_output=True, text=True)
            if proc.returncode == 0:
                print("FAIL %s: accepted" % name, file=sys.stderr)
                failures += 1
            elif expected not in proc.stderr:
                print("FAIL %s: rejected, but not for %r:\n%s" % (name, expected, proc.stderr),
                      file=sys.stderr)
                failures += 1
            else:
                first = next(l for l in proc.stderr.splitlines() if expected in l)
                print("ok   %s: %s" % (name, first))
    print("%d of %d corrupted copies rejected for the expected reason" % (count - failures, count))
    return 1 if failures else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--self-test":
        return self_test(argv[2])
    if len(argv) != 2 or argv[1].startswith("-"):
        print("usage: check-catalog.py [--self-test] CATALOG.json", file=sys.stderr)
        return 2
    problems = check_file(argv[1])
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print("%s: %d problem(s)" % (argv[1], len(problems)), file=sys.stderr)
        return 1
    with open(argv[1], encoding="utf-8") as f:
        catalog = json.load(f)
    print("%s: valid: %d departments, %d items, %d bundles" % (
        argv[1], len(catalog["departments"]), len(catalog["items"]), len(catalog["bundles"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
