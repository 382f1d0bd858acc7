# Sourced by bin/demo, bin/test and .ci/run: make sure uv is there and set $UV to run it.
# uv must use the interpreter this machine has (.python-version), never download one.
export UV_PYTHON_DOWNLOADS=never

uv_works() { command -v uv >/dev/null 2>&1 && uv --version >/dev/null 2>&1; }

if uv_works; then
    UV=(uv)
else
    echo "uv not found: installing it with pip (python3 -m pip install uv)" >&2
    python3 -m pip install --quiet uv
    # pyenv creates the shim for a new command only on rehash; the module always works.
    if uv_works; then UV=(uv); else UV=(python3 -m uv); fi
fi
