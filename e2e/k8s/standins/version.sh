#!/bin/sh
# @NAME@ stand-in (jplay Kubernetes lab): reports its version, does nothing else.
echo "@NAME@ version @VERSION@ (jplay lab stand-in)"
