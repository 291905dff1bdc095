# Regenerates diffs.json: each case's "expected" is Ansible's own diff rendering (its callback's _get_diff).
# Run with the system Python that has ansible-core:
#   PYTHONPATH=/usr/lib/python3/dist-packages /usr/bin/python3 gen_diff.py diffs.json
import os, json, sys
os.environ['ANSIBLE_NOCOLOR']='1'
from ansible.plugins.callback.default import CallbackModule
cb = CallbackModule()

def d(before, after, bh=None, ah=None):
    x={'before':before,'after':after}
    if bh is not None: x['before_header']=bh
    if ah is not None: x['after_header']=ah
    return cb._get_diff(x)
long_a = "".join("line%d\n" % i for i in range(1,31))
long_b = long_a.replace("line2\n","line2 changed\n").replace("line25\n","").replace("line29\n","line29\nextra\n")
rep_a = "a\nb\nc\na\nb\nb\na\n"
rep_b = "c\nb\na\nb\na\nc\n"
big_a = "".join(("x\n" if i%3 else "v%d\n" % i) for i in range(300))
big_b = big_a.replace("v150\n","v150 new\n").replace("v3\n","")
cases = {
 "simple": (("line1\nline2\nline3\n","line1\nline2 changed\nline3\nline4\n","/tmp/c1","/tmp/c1")),
 "newfile": (("","x\ny\n",None,"/tmp/c2")),
 "nonewline": (("a\nb","a\nc","/tmp/c3","/tmp/c3")),
 "addnewline": (("a\nb","a\nb\n","f","f")),
 "twohunks": ((long_a,long_b,"f","f")),
 "repeated": ((rep_a,rep_b,"f","f")),
 "popular": ((big_a,big_b,"big","big")),
 "deleteall": (("a\nb\n","",None,None)),
 "crlf": (("a\r\nb\r\n","a\r\nc\r\n","w","w")),
}
out={}
for k,(a,b,bh,ah) in cases.items():
    out[k]={"before":a,"after":b,"before_header":bh,"after_header":ah,"expected":d(a,b,bh,ah)}
json.dump(out, open(sys.argv[1],'w'), indent=1)
for k,v in out.items():
    print("==",k); print(v["expected"], end="|END\n")
