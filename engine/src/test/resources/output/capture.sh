#!/bin/sh
# Captures Ansible's real output for the playbooks here: the golden files HumanOutputTest compares with.
# The playbooks work in /tmp/oracle. After a capture, copy the values Ansible reported (timestamps, deltas, temp
# paths) into Runs.java.
set -e
cd "$(dirname "$0")"
mkdir -p /tmp/oracle
rm -f /tmp/oracle/f1 /tmp/oracle/c1
ANSIBLE_FORCE_COLOR=1 ansible-playbook -i localhost, -c local demo.yml > demo-color.txt 2>&1 || true
sed 's/\x1b\[[0-9;]*m//g' demo-color.txt > demo.txt
printf 'line1\nline2\nline3\n' > /tmp/oracle/c1
ANSIBLE_NOCOLOR=1 ansible-playbook -i localhost, -c local verbose-diff.yml -v --diff 2>&1 \
  | grep -v '^No config file found' > verbose-diff.txt
ANSIBLE_NOCOLOR=1 ansible-playbook -i h1, -e ansible_host=127.0.0.1 -e ansible_port=1 unreachable.yml \
  > unreachable.txt 2>&1 || true
