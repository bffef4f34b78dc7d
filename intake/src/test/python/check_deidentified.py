#!/usr/bin/env python3
"""Independent check (pydicom) of objects de-identified by cohortflow intake.

Usage: check_deidentified.py ORIGINAL_DIRS DEID_DIR TABLE_CSV SECRET OPTIONS MAX_SHIFT_DAYS

ORIGINAL_DIRS are separated by os.pathsep. OPTIONS is a comma-separated list of the profile's option codes used in TABLE_CSV (RLT, RPC, RDI, RUI,
CD, CSC) or '-'. Prints one line per failed check and exits 1 when any failed; prints a summary and exits 0
otherwise. It recomputes each new UID from the secret (HMAC-SHA-256, '2.25.' + first 128 bits) to pair
originals with their de-identified objects.
"""
import datetime
import hashlib
import hmac
import os
import re
import sys

import pydicom
from pydicom.tag import Tag

ORIG, DEID, TABLE, SECRET, OPTIONS, MAX_SHIFT = sys.argv[1:7]
OPTIONS = set() if OPTIONS == "-" else set(OPTIONS.split(","))
MAX_SHIFT = int(MAX_SHIFT)
failures = []


def fail(msg):
    if len(failures) < 200:
        failures.append(msg)


def new_uid(uid):
    mac = hmac.new(SECRET.encode(), b"uid\x00" + uid.encode(), hashlib.sha256).digest()
    return "2.25." + str(int.from_bytes(mac[:16], "big"))


def load(root):
    out = []
    for d, _, files in os.walk(root):
        for f in sorted(files):
            p = os.path.join(d, f)
            try:
                out.append((p, pydicom.dcmread(p)))
            except Exception:
                pass  # not DICOM: the Java side reports it
    return out


def walk(ds):
    """Every element at every level (sequence items included)."""
    for el in ds:
        yield el
        if el.VR == "SQ":
            for item in el.value:
                yield from walk(item)


def values(el):
    if el.value is None or el.VR in ("SQ", "OB", "OW", "OF", "OD", "UN"):
        return []
    v = el.value
    items = list(v) if isinstance(v, (list, pydicom.multival.MultiValue)) else [v]
    return [str(x).strip() for x in items if str(x).strip()]


# The table's action per tag under the options.
actions = {}
with open(TABLE) as fh:
    for line in fh:
        if not line.strip() or line.startswith("#"):
            continue
        tag, keyword, basic, overrides = line.rstrip("\n").split(";")
        action = basic
        for o in overrides.split():
            code, act = o.split(":")
            if code in OPTIONS:
                action = act
                break
        g, e = tag.strip("()").split(",")
        actions[Tag(int(g, 16), int(e, 16))] = (keyword, action)

originals = [x for root in ORIG.split(os.pathsep) for x in load(root)]
deids = load(DEID)
if not deids:
    fail("no de-identified objects in " + DEID)

# 1. Nothing the profile removes or replaces keeps an original value; removed attributes are absent.
original_values = {}
identities = set()
for _, ds in originals:
    for el in walk(ds):
        if el.tag in actions and actions[el.tag][1] in ("X", "Z", "D", "U", "C"):
            original_values.setdefault(el.tag, set()).update(values(el))
    pid = str(ds.get("PatientID", "")).strip()
    if pid:
        identities.add(pid)
    for part in str(ds.get("PatientName", "")).replace("^", " ").replace("=", " ").split():
        if len(part) >= 3:
            identities.add(part)
    bd = str(ds.get("PatientBirthDate", "")).strip()
    if bd:
        identities.add(bd)
identities_lower = {i.lower() for i in identities}
TEXT_VRS = {"PN", "LO", "SH", "ST", "LT", "UT", "UC", "AE", "DA", "DT", "CS", "UN"}
long_ids = sorted((i for i in identities_lower if len(i) >= 3), key=len, reverse=True)
identity_pattern = re.compile("(?<![a-z0-9])(?:" + "|".join(re.escape(i) for i in long_ids) + ")(?![a-z0-9])") if long_ids else None

for path, ds in deids:
    for el in walk(ds):
        if el.tag.is_private and "RSP" not in OPTIONS:
            fail(f"{path}: private attribute {el.tag} kept")
        if el.tag in actions:
            keyword, action = actions[el.tag]
            if action == "X":
                fail(f"{path}: {keyword} {el.tag} should be removed, found {el.value!r}"[:300])
            elif action == "C" and el.VR == "TM":
                pass  # dates shift by whole days: a time of day is clean as it is (PS3.15 E.3.6)
            elif action in ("Z", "D", "U", "C"):
                kept = set(values(el)) & original_values.get(el.tag, set())
                if kept:
                    fail(f"{path}: {keyword} {el.tag} keeps original value(s) {sorted(kept)[:3]}")
        # 2. Original names, ids and birth dates appear nowhere in text (private tags included): as whole
        # tokens of 3 characters or more, and as whole values whatever their length.
        if el.VR in TEXT_VRS:
            for v in values(el):
                low = v.lower()
                if low in identities_lower:
                    fail(f"{path}: {el.keyword or el.tag} is an original identity: {v!r}")
                elif identity_pattern is not None and identity_pattern.search(low):
                    fail(f"{path}: {el.keyword or el.tag} contains an original identity: {v!r}"[:300])
    if str(ds.get("PatientIdentityRemoved", "")) != "YES":
        fail(f"{path}: PatientIdentityRemoved is not YES")
    codes = [str(i.CodeValue) for i in ds.get("DeidentificationMethodCodeSequence", [])]
    if "113100" not in codes:
        fail(f"{path}: DeidentificationMethodCodeSequence lacks 113100, has {codes}")
    if not ds.get("DeidentificationMethod"):
        fail(f"{path}: DeidentificationMethod missing")

# 3. Pairs by recomputed UID: pixel data unchanged, dates shifted by one offset per patient.
by_uid = {str(ds.SOPInstanceUID): (p, ds) for p, ds in deids}
shifts = {}
paired = 0
for path, ds in originals:
    if "RUI" in OPTIONS:
        target = by_uid.get(str(ds.SOPInstanceUID))
    else:
        target = by_uid.get(new_uid(str(ds.SOPInstanceUID)))
    if target is None:
        continue
    paired += 1
    dpath, dds = target
    if ("PixelData" in ds) != ("PixelData" in dds):
        fail(f"{dpath}: pixel data present in one of original and de-identified only")
    elif "PixelData" in ds and ds.PixelData != dds.PixelData:
        fail(f"{dpath}: pixel data differ from {path}")
    if "RLT" in OPTIONS and ds.get("StudyDate") and dds.get("StudyDate"):
        a = datetime.datetime.strptime(str(ds.StudyDate), "%Y%m%d")
        b = datetime.datetime.strptime(str(dds.StudyDate), "%Y%m%d")
        days = (a - b).days
        if not 1 <= days <= MAX_SHIFT:
            fail(f"{dpath}: StudyDate shifted by {days} days, outside 1..{MAX_SHIFT}")
        shifts.setdefault(str(dds.PatientID), set()).add(days)
for pseudonym, s in shifts.items():
    if len(s) != 1:
        fail(f"patient {pseudonym}: dates shifted by different offsets {sorted(s)}")
if paired != len(deids):
    fail(f"only {paired} of {len(deids)} de-identified objects pair with an original by recomputed SOPInstanceUID")

# 4. RTSTRUCT references resolve to de-identified series and instances. (The STS RTSTRUCTs reference contour
# images that are not in the data set even before de-identification: such references must stay unresolved
# under their new UID, every other one must resolve.)
def contour_refs(ds):
    for fr in ds.get("ReferencedFrameOfReferenceSequence", []):
        for st in fr.get("RTReferencedStudySequence", []):
            for se in st.get("RTReferencedSeriesSequence", []):
                for ci in se.get("ContourImageSequence", []):
                    yield str(ci.ReferencedSOPInstanceUID)
    for roi in ds.get("ROIContourSequence", []):
        for c in roi.get("ContourSequence", []):
            for ci in c.get("ContourImageSequence", []):
                yield str(ci.ReferencedSOPInstanceUID)


original_sops = {str(ds.SOPInstanceUID) for _, ds in originals}
unresolved_before = set()
for _, ds in originals:
    if str(ds.get("Modality", "")) == "RTSTRUCT":
        for ref in contour_refs(ds):
            if ref not in original_sops:
                unresolved_before.add(ref if "RUI" in OPTIONS else new_uid(ref))
resolved = 0
series = {str(ds.SeriesInstanceUID) for _, ds in deids}
instances = set(by_uid)
frames = {str(ds.get("FrameOfReferenceUID", "")) for _, ds in deids}
structs = 0
for path, ds in deids:
    if str(ds.get("Modality", "")) != "RTSTRUCT":
        continue
    structs += 1
    refs = 0
    for fr in ds.get("ReferencedFrameOfReferenceSequence", []):
        if str(fr.FrameOfReferenceUID) not in frames:
            fail(f"{path}: referenced frame of reference {fr.FrameOfReferenceUID} not among the objects")
        for st in fr.get("RTReferencedStudySequence", []):
            for se in st.get("RTReferencedSeriesSequence", []):
                refs += 1
                if str(se.SeriesInstanceUID) not in series:
                    fail(f"{path}: referenced series {se.SeriesInstanceUID} not among the de-identified series")
    for ref in contour_refs(ds):
        if ref in instances:
            resolved += 1
        elif ref not in unresolved_before:
            fail(f"{path}: contour image {ref} not among the objects (it was before de-identification)")
    if refs == 0:
        fail(f"{path}: RTSTRUCT references no series")

if structs and not resolved:
    fail("no RTSTRUCT contour image reference resolves")

for f in failures:
    print("FAIL " + f)
print(f"checked {len(deids)} de-identified objects ({structs} RTSTRUCT) against {len(originals)} originals, "
      f"{resolved} contour image references resolved, {len(failures)} failures")
sys.exit(1 if failures else 0)
