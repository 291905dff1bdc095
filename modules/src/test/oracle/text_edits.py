#!/usr/bin/env python3
"""Regenerates modules/src/test/resources/oracle/text-edits.yml: runs Ansible's own lineinfile, blockinfile and
replace on each case (ansible-playbook, connection local) and records the resulting file, changed and msg.
Run from the repository root: python3 modules/src/test/oracle/text_edits.py"""
import json, os, subprocess, sys, tempfile, yaml

FSTAB = "UUID=1 / ext4 defaults 0 1\n/dev/sda2 none swap sw 0 0\n# /dev/sdb1 none swap sw 0 0\ntmpfs /tmp tmpfs defaults 0 0\n"
HOSTS = "127.0.0.1 localhost\n::1 localhost\n10.0.0.1 one\n"
CASES = [
    ("lineinfile", HOSTS, dict(line="10.0.0.2 two")),
    ("lineinfile", HOSTS, dict(line="10.0.0.1 one")),
    ("lineinfile", HOSTS, dict(regexp="^10\\.0\\.0\\.1", line="10.0.0.1 uno")),
    ("lineinfile", HOSTS, dict(regexp="localhost$", line="X")),
    ("lineinfile", HOSTS, dict(regexp="localhost$", line="X", firstmatch=True)),
    ("lineinfile", HOSTS, dict(regexp="^nomatch", line="added")),
    ("lineinfile", HOSTS, dict(line="after-first", insertafter="localhost")),
    ("lineinfile", HOSTS, dict(line="after-first", insertafter="localhost", firstmatch=True)),
    ("lineinfile", HOSTS, dict(line="before-last", insertbefore="localhost")),
    ("lineinfile", HOSTS, dict(line="before-first", insertbefore="localhost", firstmatch=True)),
    ("lineinfile", HOSTS, dict(line="top", insertbefore="BOF")),
    ("lineinfile", HOSTS, dict(line="top", insertafter="BOF")),
    ("lineinfile", HOSTS, dict(line="end", insertafter="EOF")),
    ("lineinfile", HOSTS, dict(line="none", insertafter="^nothing")),
    ("lineinfile", HOSTS, dict(line="none", insertbefore="^nothing")),
    ("lineinfile", HOSTS, dict(line="::1 localhost", insertbefore="^127")),
    ("lineinfile", "a\nb", dict(line="c")),
    ("lineinfile", "a\nb", dict(line="b")),
    ("lineinfile", "a\r\nb\r\n", dict(line="a")),
    ("lineinfile", "a\r\nb\r\n", dict(regexp="^a", line="a")),
    ("lineinfile", "", dict(line="first")),
    ("lineinfile", FSTAB, dict(regexp="^([^#].*\\sswap\\s.*)$", line="# \\1", backrefs=True)),
    ("lineinfile", "# /dev/sda2 none swap sw 0 0\n", dict(regexp="^([^#].*\\sswap\\s.*)$", line="# \\1", backrefs=True)),
    ("lineinfile", "key = 1\n", dict(regexp="^(?P<k>\\w+) = (\\d+)$", line="\\g<k> = \\g<2>0", backrefs=True)),
    ("lineinfile", "key = 1\n", dict(regexp="^nomatch", line="x", backrefs=True)),
    ("lineinfile", HOSTS, dict(search_string="10.0.0.1", line="10.0.0.9 nine")),
    ("lineinfile", HOSTS, dict(search_string="nothing", line="new")),
    ("lineinfile", HOSTS, dict(state="absent", regexp="localhost")),
    ("lineinfile", HOSTS, dict(state="absent", line="10.0.0.1 one")),
    ("lineinfile", HOSTS, dict(state="absent", search_string="::")),
    ("lineinfile", HOSTS, dict(state="absent", regexp="^nothing")),
    ("lineinfile", "caf\u00e9 = 1\n", dict(regexp="^caf.. = ", line="cafe = 2")),
    ("lineinfile", "caf\u00e9 = 1\n", dict(regexp="^caf. = ", line="cafe = 2")),
    ("lineinfile", "Name=x\n", dict(regexp="(?i)^name=", line="name=y")),
    ("lineinfile", "a{1}\n", dict(regexp="a{1}$", line="b")),
    ("lineinfile", "x_y=1\n", dict(regexp="^(?P<the_key>x_y)=.*$", line="\\g<the_key>=2", backrefs=True)),
    ("lineinfile", "path=/a\n", dict(regexp="^path=(.*)\\Z", line="path=$HOME/\\1", backrefs=True)),
    ("lineinfile", "tab\there\n", dict(regexp="^tab\\s", line="tab\\tgone", backrefs=True)),
    ("blockinfile", HOSTS, dict(block="10.1.0.1 a\n10.1.0.2 b")),
    ("blockinfile", HOSTS + "# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\n", dict(block="new")),
    ("blockinfile", HOSTS + "# BEGIN ANSIBLE MANAGED BLOCK\nnew\n# END ANSIBLE MANAGED BLOCK\n", dict(block="new")),
    ("blockinfile", HOSTS + "# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\ntail\n", dict(state="absent")),
    ("blockinfile", HOSTS + "# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\ntail\n", dict(block="")),
    ("blockinfile", HOSTS, dict(block="b", insertbefore="BOF")),
    ("blockinfile", HOSTS, dict(block="b", insertafter="^127")),
    ("blockinfile", HOSTS, dict(block="b", insertbefore="localhost")),
    ("blockinfile", HOSTS, dict(block="b", insertafter="(?m)localhost$")),
    ("blockinfile", HOSTS, dict(block="b", insertbefore="(?m)^::1")),
    ("blockinfile", HOSTS, dict(block="b", insertafter="nomatch")),
    ("blockinfile", "no newline", dict(block="b")),
    ("blockinfile", "x\n", dict(block="b", marker="<!-- {mark} -->", marker_begin="start", marker_end="stop")),
    ("blockinfile", "# END ANSIBLE MANAGED BLOCK\nmid\n# BEGIN ANSIBLE MANAGED BLOCK\n", dict(block="z")),
    ("blockinfile", HOSTS, dict(state="absent")),
    ("replace", HOSTS, dict(regexp="localhost", replace="lh")),
    ("replace", HOSTS, dict(regexp="^(\\S+)\\s+(\\w+)$", replace="\\2 \\1")),
    ("replace", HOSTS, dict(regexp="nothing", replace="x")),
    ("replace", HOSTS, dict(regexp="one", replace="one")),
    ("replace", HOSTS, dict(regexp="localhost", replace="LH", after="127")),
    ("replace", HOSTS, dict(regexp="localhost", replace="LH", before="::1")),
    ("replace", HOSTS, dict(regexp="localhost", replace="LH", after="127", before="one")),
    ("replace", HOSTS, dict(regexp="localhost", replace="LH", after="nomatch")),
    ("replace", "a\nb\n", dict(regexp="$", replace=";")),
    ("replace", "a\nb\n", dict(regexp="x*", replace="-")),
    ("replace", "caf\u00e9 \u00e9t\u00e9\n", dict(regexp="\\w+", replace="<\\g<0>>")),
    ("replace", "k=v\n", dict(regexp="(?P<key>\\w)=(?P<val>\\w)", replace="\\g<val>=\\g<key>")),
    ("replace", "a.b\n", dict(regexp="\\.", replace="\\\\")),
    ("replace", "one\ntwo\n", dict(regexp="^two\\n", replace="")),
    ("replace", "x{y}\n", dict(regexp="{y}", replace="[z]")),
]

def _str(dumper, s):
    style = '"' if any(c in s for c in "\n\r\t") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", s, style=style)

yaml.SafeDumper.add_representer(str, _str)

def main():
    out = []
    with tempfile.TemporaryDirectory() as d:
        tasks = []
        for i, (module, before, args) in enumerate(CASES):
            p = os.path.join(d, "f%d" % i)
            if before is not None:
                with open(p, "wb") as f:
                    f.write(before.encode("utf-8"))
            a = dict(args, path=p)
            tasks.append({"name": "case %d" % i, module: a, "ignore_errors": True})
        play = [{"hosts": "localhost", "gather_facts": False, "connection": "local", "tasks": tasks}]
        pb = os.path.join(d, "pb.yml")
        with open(pb, "w") as f:
            yaml.safe_dump(play, f)
        env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_LOCALHOST_WARNING="false",
                   ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
        res = subprocess.run(["ansible-playbook", pb], env=env, capture_output=True, text=True)
        results = json.loads(res.stdout)["plays"][0]["tasks"]
        afters = []
        for i in range(len(CASES)):
            p = os.path.join(d, "f%d" % i)
            afters.append(open(p, "rb").read().decode("utf-8") if os.path.exists(p) else None)
        # The same tasks once more, on what the first run left: Ansible's own idempotency.
        again = json.loads(subprocess.run(["ansible-playbook", pb], env=env, capture_output=True, text=True).stdout)
        again = again["plays"][0]["tasks"]
        for i, (module, before, args) in enumerate(CASES):
            r = results[i]["hosts"]["localhost"]
            with open(os.path.join(d, "f%d" % i), "rb") as f:
                after_again = f.read().decode("utf-8")
            case = {"module": module, "args": args, "before": before, "after": afters[i],
                    "changed": r.get("changed", False), "msg": r.get("msg", ""),
                    "changed_again": again[i]["hosts"]["localhost"].get("changed", False)}
            if after_again != afters[i]:
                case["after_again"] = after_again
            if r.get("failed"):
                case["failed"] = True
            out.append(case)
    target = os.path.join("modules", "src", "test", "resources", "oracle", "text-edits.yml")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w") as f:
        f.write("# Generated by modules/src/test/oracle/text_edits.py from Ansible %s; do not edit.\n"
                % subprocess.run(["ansible", "--version"], capture_output=True, text=True).stdout.split("\n")[0])
        yaml.safe_dump(out, f, allow_unicode=True, sort_keys=False, width=1000)

main()
