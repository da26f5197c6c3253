# One-off: runs 1-4's incident stores (every anomaly record of those runs became evidence, as the
# exporter then opened on every record) to anomalies_file JSON Lines, with the severity number of
# each log anomaly's template looked up in the services' own ECS log files of the same run.
import csv, json, re, sys, collections, datetime
LEVELS = {"TRACE": 1, "DEBUG": 5, "INFO": 9, "WARN": 13, "ERROR": 17, "FATAL": 21}
# Lines the services log through the agent but not into their files (framework start/stop):
# their frameworks' levels (Tomcat logs the thread-leak warning at WARN, the rest at INFO).
FALLBACK_WARN = ["appears to have started a thread"]
src, logdir, out = sys.argv[1], sys.argv[2], sys.argv[3]
levels = {}
def service_levels(svc):
    if svc not in levels:
        m = {}
        try:
            for line in open(f"{logdir}/{svc}.log", encoding="utf-8", errors="replace"):
                if not line.startswith("{"):
                    continue
                try:
                    j = json.loads(line)
                except ValueError:
                    continue
                msg = j.get("message", "")
                key = re.sub(r"\d", "0", msg)
                m.setdefault(key, (msg, j.get("log.level", "INFO")))
        except FileNotFoundError:
            pass
        levels[svc] = list(m.values())
    return levels[svc]
cache = {}
stats = collections.Counter()
def severity(svc, template):
    k = (svc, template)
    if k in cache:
        return cache[k]
    rx = re.compile(".*".join(re.escape(p) for p in template.split("<*>")), re.S)
    found = None
    for msg, lvl in service_levels(svc):
        if rx.fullmatch(msg):
            found = LEVELS.get(lvl.upper(), 9)
            stats["from service log"] += 1
            break
    if found is None:
        found = 13 if any(w in template for w in FALLBACK_WARN) else 9
        stats["framework line, level by table"] += 1
        print("  fallback", found, svc, template[:90], file=sys.stderr)
    cache[k] = found
    return found
def iso(nanos):
    n = int(nanos)
    return datetime.datetime.fromtimestamp(n // 10**9, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + ".%09dZ" % (n % 10**9)
with open(out, "w") as o:
    for r in csv.DictReader(open(src)):
        log = r["SOURCE"] == "logs" and r["TEMPLATE"]
        traces = [t for t in re.split(r"[ ,]+", r["TRACE_IDS"] or "") if t]
        rec = {"key": r["RECORD_KEY"], "signature": r["SIGNATURE"], "kind": r["KIND"],
               "source": r["SOURCE"], "service": r["SERVICE"], "series": r["SERIES"] or None,
               "template_id": r["TEMPLATE_ID"] or None, "template": r["TEMPLATE"] or None,
               "body": r["BODY"], "score": float(r["SCORE"]) if r["SCORE"] else None,
               "window_start": iso(r["WINDOW_START"]), "window_end": iso(r["WINDOW_END"]),
               "trace_ids": traces, "received": iso(r["RECEIVED_AT"]),
               "severity_number": severity(r["SERVICE"], r["TEMPLATE"]) if log else None}
        if r.get("TRACE_ORIGIN"):
            rec["trace_origin"] = r["TRACE_ORIGIN"]
        o.write(json.dumps(rec) + "\n")
print(out, dict(stats))
