#!/bin/sh
# Imports Vigil's data views and saved searches into Kibana, with trace.id links pointing at
# the Jaeger UI given by JAEGER_UI_URL. Existing objects with the same IDs are overwritten.
#   KIBANA_URL=http://kibana:5601 JAEGER_UI_URL=http://jaeger:16686 ./import-saved-objects.sh
# Add KIBANA_AUTH=user:password for a secured Kibana.
set -eu
here=$(dirname "$0")
: "${KIBANA_URL:=http://localhost:5601}"
: "${JAEGER_UI_URL:=http://localhost:16686}"
tmp=$(mktemp --suffix=.ndjson)
trap 'rm -f "$tmp"' EXIT
sed "s#__JAEGER_UI_URL__#${JAEGER_UI_URL%/}#g" "$here/vigil-saved-objects.ndjson" > "$tmp"
curl -sS --fail ${KIBANA_AUTH:+-u "$KIBANA_AUTH"} -H 'kbn-xsrf: true' \
  -X POST "$KIBANA_URL/api/saved_objects/_import?overwrite=true" --form "file=@$tmp"
echo
