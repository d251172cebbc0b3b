#!/usr/bin/env bash
# Hub-wide setup of the course on an existing JupyterHub: run once, by the administrator, in the single-user
# environment (the Python that runs jupyterhub-singleuser). Afterwards a chapter's Voilà page works from any
# folder the repository is pulled into (nbgitpuller puts it in ~/<repository name>), for every user.
#   jupyterhub/install.sh [--prefix DIR]     DIR: that environment's sys.prefix (default: python3's)
# It installs the course (learner set and views, editable: pip install -e '.[lab]') and nbgitpuller, and copies
# the repository's own Jupyter settings, which otherwise apply only when the repository is the home folder (Binder):
#   .jupyter/jupyter_server_config.json         → DIR/etc/jupyter/jupyter_server_config.json
#   .jupyter/jupyter_server_config.py           → DIR/etc/jupyter/jupyter_server_config.py (Voilà's hooks)
#   .jupyter/labconfig/default_setting_overrides.json → DIR/etc/jupyter/labconfig/default_setting_overrides.json
#   .local/share/jupyter/voila/templates/sige/  → DIR/share/jupyter/voila/templates/sige/
set -eo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
PYTHON="${PYTHON:-python3}"
PREFIX=""
SKIP_PIP=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="${2:?}"; shift 2 ;;
    --no-pip) SKIP_PIP=1; shift ;;  # the course is already installed in that environment
    *) echo "用法：jupyterhub/install.sh [--prefix 目录] [--no-pip]（无法识别：$1）" >&2; exit 2 ;;
  esac
done
[ -n "$PREFIX" ] || PREFIX="$("$PYTHON" -c 'import sys; print(sys.prefix)')"
if [ -z "$SKIP_PIP" ]; then
  "$PYTHON" -m pip install -q --disable-pip-version-check -e ".[lab]" nbgitpuller \
    || { echo "安装课程失败（原因见上面 pip 的输出）：请检查网络后重新运行。" >&2; exit 1; }
fi
place() {  # source target: copy, but never replace someone else's different file
  if [ -e "$2" ] && ! cmp -s "$1" "$2"; then
    echo "$2 已存在且内容不同：请把 $1 的设置合并进去（或先移走它），再重新运行。" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$2")" && cp "$1" "$2"
}
place .jupyter/jupyter_server_config.json "$PREFIX/etc/jupyter/jupyter_server_config.json"
place .jupyter/jupyter_server_config.py "$PREFIX/etc/jupyter/jupyter_server_config.py"
place .jupyter/labconfig/default_setting_overrides.json "$PREFIX/etc/jupyter/labconfig/default_setting_overrides.json"
for file in .local/share/jupyter/voila/templates/sige/*; do
  place "$file" "$PREFIX/share/jupyter/voila/templates/sige/$(basename "$file")"
done
echo "已为 $PREFIX 的 JupyterHub 单用户环境配置好课程：重启各用户的服务器后生效。"
