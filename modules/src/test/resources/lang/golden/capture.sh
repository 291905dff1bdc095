#!/bin/sh
# Recaptures expected.txt: Ansible's own output for site.yml (ansible-core 2.14, one fork so hosts come in order).
# The hosts file points h1 and h2 at this machine; the test runs jplay on the same playbook over SSH.
cd "$(dirname "$0")" && ansible-playbook -i hosts -f 1 site.yml | sed "s#$(pwd)#DIR#" > expected.txt
