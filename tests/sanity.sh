#!/usr/bin/env bash
# ansible-test sanity needs the collection at .../ansible_collections/blueprint/aws: copy the
# files git knows (tracked, or new and not ignored) there and run it on this Python only.
set -euo pipefail
cd "$(dirname "$0")/.."

# Outside this checkout: inside it, git would see the copy as ignored files and ansible-test would skip them all.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/blueprint-sanity.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
work=$scratch/ansible_collections/blueprint/aws
mkdir -p "$work"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' path; do
  [ -e "$path" ] || [ -L "$path" ] || continue
  mkdir -p "$work/$(dirname "$path")"
  cp -P "$path" "$work/$path"
done
root=$PWD
# ansible-test finds a collection's dependencies only beside it: copy amazon.aws from the venv's bundle.
mkdir -p "$scratch/ansible_collections/amazon"
cp -r "$(.venv/bin/python -c 'import ansible_collections.amazon.aws as m; print(list(m.__path__)[0])')" \
  "$scratch/ansible_collections/amazon/aws"
# ansible-test downloads get-pip.py from a host this machine may not reach: give it the stand-in.
requirements_py=$(.venv/bin/python -c 'import ansible_test, os; print(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py"))')
while read -r pip_version; do
  cached=$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py
  mkdir -p "$(dirname "$cached")"
  cmp -s tests/harness/get_pip_standin.py "$cached" || cp tests/harness/get_pip_standin.py "$cached"
done < <(grep -oE "pip='[0-9.]+'" "$requirements_py" | sed -E "s/pip='([0-9.]+)'/\1/" | sort -u)
python_version=$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
cd "$work"
git init -q && git add -A
"$root/.venv/bin/ansible-test" sanity --python "$python_version" --color no "$@"
