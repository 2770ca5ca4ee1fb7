# Sourced by bench scripts that compare builds: `build_rev REV DIR` builds the bundle of revision
# REV in a worktree under DIR (node_modules linked from this checkout) and prints its path; with
# an empty REV it builds this working tree's dist/. `drop_rev DIR` removes the worktree.
build_rev() {
  local rev=$1 dir=$2
  if [ -z "$rev" ]; then
    node build.mjs >/dev/null
    echo "$PWD/dist/telemute.mjs"
    return
  fi
  git worktree add --detach "$dir/src" "$rev" >/dev/null 2>&1
  ln -s "$PWD/node_modules" "$dir/src/node_modules"
  (cd "$dir/src" && node build.mjs >/dev/null)
  echo "$dir/src/dist/telemute.mjs"
}

drop_rev() {
  git worktree remove --force "$1/src" 2>/dev/null || true
}
