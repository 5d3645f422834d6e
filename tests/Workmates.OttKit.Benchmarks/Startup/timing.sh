# Shared by measure-startup.sh and measure-installed.sh (sourced, not run): the runtime baseline and the timing table.
# Expects $runs (runs per command) and $work (a temporary folder) to be set by the caller.

# Publishes an empty console app to $work/hello/out: `dotnet hello.dll` is the host and runtime start-up every .NET
# tool pays, measured in the same run as the tool so that figures are read as ratios, not absolute times.
publish_runtime_baseline() {
  mkdir -p "$work/hello"
  cat >"$work/hello/hello.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
</Project>
XML
  echo 'System.Console.WriteLine("hello");' >"$work/hello/Program.cs"
  dotnet publish "$work/hello/hello.csproj" -c Release -o "$work/hello/out" >"$work/hello.log" 2>&1 \
    || { cat "$work/hello.log"; exit 1; }
}

# Milliseconds of one run of "$@" (stdout and stderr discarded; a failing command stops the script).
once() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "command failed: $*" >&2; "$@"; exit 1; }
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

# One Markdown row: label, min / median / max ms over $runs runs (after one warm-up), and the median as a multiple of
# $baseline (set it from $last_median after measuring the runtime baseline; 0 prints "—").
baseline=0
table_header() {
  echo "| command | min | median | max | median / runtime baseline |"
  echo "| --- | ---: | ---: | ---: | ---: |"
}
measure() {
  local label="$1"
  shift
  once "$@" >/dev/null
  local times=()
  for _ in $(seq "$runs"); do
    times+=("$(once "$@")")
  done
  local sorted min median max ratio="—"
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  min=$(echo "$sorted" | head -1)
  max=$(echo "$sorted" | tail -1)
  median=$(echo "$sorted" | awk -v n="$runs" '{a[NR]=$1} END {if (n % 2) print a[(n+1)/2]; else print int((a[n/2]+a[n/2+1])/2)}')
  if [ "$baseline" -gt 0 ]; then ratio=$(awk -v m="$median" -v b="$baseline" 'BEGIN {printf "%.1f×", m / b}'); fi
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$min" "$median" "$max" "$ratio"
  last_median=$median
}
