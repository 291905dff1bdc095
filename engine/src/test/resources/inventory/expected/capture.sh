#!/bin/sh
# Regenerates the expected ansible-inventory output next to this script (ansible-core 2.14, Debian package).
# Run from engine/src/test/resources/inventory. Output is stored without the trailing newline jplay omits.
set -e
cap() { out=$1; shift; ansible-inventory "$@" 2>/dev/null | head -c -1 > "expected/$out"; }
cap ini.list.json -i ini/hosts --list
cap ini.graph.txt -i ini/hosts --graph
cap ini.graph-app.txt -i ini/hosts --graph app
cap ini.host-web1.json -i ini/hosts --host web1
cap ini.host-proxy.json -i ini/hosts --host proxy.example.com
cap yaml.list.json -i yaml/hosts.yml --list
cap yaml.graph.txt -i yaml/hosts.yml --graph
cap prec.list.json -i prec/inventory/hosts --playbook-dir prec/play --list
cap prec.graph.txt -i prec/inventory/hosts --playbook-dir prec/play --graph
cap dir.list.json -i dir --list
cap patterns.graph.txt -i patterns/hosts --graph
cap multi.list.json -i patterns/hosts -i dir -i extra1,extra2:2200, --list
