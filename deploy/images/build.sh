#!/usr/bin/env bash
# Builds Vigil's container images as `docker load`-able tarballs, with no container engine:
#   target/vigil-gateway.tar        vigil/gateway:TAG        the gateway (Jib, Debian JRE base)
#   target/vigil-agent.tar          vigil/agent:TAG          /vigil/vigil-agent.jar + busybox cp
#   target/vigil-demo-services.tar  vigil/demo-services:TAG  the demo's Spring Boot services
#   target/vigil-demo-traffic.tar   vigil/demo-traffic:TAG   the demo's traffic generator
# TAG is the root pom's vigil.image.tag. The bases come from Debian packages (build-base.sh);
# Jib layers the application on them (profile "images" of each module). Load them with
# `docker load -i`, `podman load -i`, or push them with `skopeo copy docker-archive:... docker://...`.
# Usage: deploy/images/build.sh [maven args...]   (e.g. -o for offline)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/target"
"$here/build-base.sh" "$out"
(cd "$root" && mvn -B -q -Pimages -DskipTests -Dvigil.base.images="$out" "$@" \
  -pl distribution/gateway,agent/dist,demo/services,demo/launcher -am package)
cp "$root/distribution/gateway/target/jib-image.tar" "$out/vigil-gateway.tar"
cp "$root/agent/dist/target/jib-image.tar" "$out/vigil-agent.tar"
cp "$root/demo/services/target/jib-image.tar" "$out/vigil-demo-services.tar"
cp "$root/demo/launcher/target/jib-image.tar" "$out/vigil-demo-traffic.tar"
for image in vigil-gateway vigil-agent vigil-demo-services vigil-demo-traffic; do
  echo "built $out/$image.tar ($(du -h "$out/$image.tar" | cut -f1))"
done
