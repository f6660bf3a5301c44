"""Writes proto/tensorboard/compat/proto/*.proto from the descriptors compiled into the
`tensorboard` pip package (tensorboard.compat.proto.*_pb2), which are TensorFlow's own
definitions under the package name `tensorboard`. The wheel ships no .proto text, so this
prints the descriptors back as proto3 source: same names, numbers, types, oneofs and
options, without upstream's comments (the descriptors carry none).

Run with a Python that has `tensorboard` installed, from this folder:
    python3 extract-protos.py
then `npm run gen:proto` in the repository root. Output is deterministic.
"""
import importlib
import os

from google.protobuf import descriptor_pb2 as d

# Only what vizmeta decodes: Event and what it reaches (Summary, TensorProto, ...).
ROOT = 'tensorboard.compat.proto.event_pb2'

SCALAR = {
    d.FieldDescriptorProto.TYPE_DOUBLE: 'double', d.FieldDescriptorProto.TYPE_FLOAT: 'float',
    d.FieldDescriptorProto.TYPE_INT64: 'int64', d.FieldDescriptorProto.TYPE_UINT64: 'uint64',
    d.FieldDescriptorProto.TYPE_INT32: 'int32', d.FieldDescriptorProto.TYPE_FIXED64: 'fixed64',
    d.FieldDescriptorProto.TYPE_FIXED32: 'fixed32', d.FieldDescriptorProto.TYPE_BOOL: 'bool',
    d.FieldDescriptorProto.TYPE_STRING: 'string', d.FieldDescriptorProto.TYPE_BYTES: 'bytes',
    d.FieldDescriptorProto.TYPE_UINT32: 'uint32', d.FieldDescriptorProto.TYPE_SFIXED32: 'sfixed32',
    d.FieldDescriptorProto.TYPE_SFIXED64: 'sfixed64', d.FieldDescriptorProto.TYPE_SINT32: 'sint32',
    d.FieldDescriptorProto.TYPE_SINT64: 'sint64',
}


def type_name(f, package):
    if f.type in SCALAR:
        return SCALAR[f.type]
    name = f.type_name.lstrip('.')
    # Same-package names are written relative, as upstream writes them.
    return name[len(package) + 1:] if name.startswith(package + '.') else name


def field_options(f):
    opts = []
    if f.options.HasField('packed'):
        opts.append('packed = %s' % ('true' if f.options.packed else 'false'))
    if f.options.HasField('deprecated'):
        opts.append('deprecated = %s' % ('true' if f.options.deprecated else 'false'))
    if f.options.HasField('jstype'):
        opts.append('jstype = %s' % d.FieldOptions.JSType.Name(f.options.jstype))
    return ' [%s]' % ', '.join(opts) if opts else ''


def enum(e, ind, out):
    out.append('%senum %s {' % (ind, e.name))
    if e.options.HasField('allow_alias'):
        out.append('%s  option allow_alias = %s;' % (ind, 'true' if e.options.allow_alias else 'false'))
    if e.options.HasField('deprecated'):
        out.append('%s  option deprecated = %s;' % (ind, 'true' if e.options.deprecated else 'false'))
    for v in e.value:
        dep = ' [deprecated = true]' if v.options.deprecated else ''
        out.append('%s  %s = %d%s;' % (ind, v.name, v.number, dep))
    for r in e.reserved_range:
        out.append('%s  reserved %s;' % (ind, str(r.start) if r.start == r.end else '%d to %d' % (r.start, r.end)))
    for n in e.reserved_name:
        out.append('%s  reserved "%s";' % (ind, n))
    out.append('%s}' % ind)


def field_line(f, package, ind):
    label = ''
    if f.label == d.FieldDescriptorProto.LABEL_REPEATED:
        label = 'repeated '
    elif f.proto3_optional:
        label = 'optional '
    return '%s%s%s %s = %d%s;' % (ind, label, type_name(f, package), f.name, f.number, field_options(f))


def message(m, package, ind, out):
    out.append('%smessage %s {' % (ind, m.name))
    inner = ind + '  '
    if m.options.HasField('deprecated'):
        out.append('%soption deprecated = %s;' % (inner, 'true' if m.options.deprecated else 'false'))
    for e in m.enum_type:
        enum(e, inner, out)
    for n in m.nested_type:
        if n.options.map_entry:
            continue
        message(n, package, inner, out)
    maps = {n.name: n for n in m.nested_type if n.options.map_entry}
    done_oneofs = set()
    for f in m.field:
        entry = maps.get(f.type_name.rsplit('.', 1)[-1]) if f.type == d.FieldDescriptorProto.TYPE_MESSAGE else None
        if entry is not None and f.label == d.FieldDescriptorProto.LABEL_REPEATED:
            k, v = entry.field[0], entry.field[1]
            out.append('%smap<%s, %s> %s = %d;' % (inner, type_name(k, package), type_name(v, package), f.name, f.number))
        elif f.HasField('oneof_index') and not f.proto3_optional:
            if f.oneof_index in done_oneofs:
                continue
            done_oneofs.add(f.oneof_index)
            out.append('%soneof %s {' % (inner, m.oneof_decl[f.oneof_index].name))
            for g in m.field:
                if g.HasField('oneof_index') and g.oneof_index == f.oneof_index:
                    out.append(field_line(g, package, inner + '  '))
            out.append('%s}' % inner)
        else:
            out.append(field_line(f, package, inner))
    for r in m.reserved_range:
        end = r.end - 1  # descriptor ranges are end-exclusive
        out.append('%sreserved %s;' % (inner, str(r.start) if r.start == end else '%d to %d' % (r.start, end)))
    for n in m.reserved_name:
        out.append('%sreserved "%s";' % (inner, n))
    out.append('%s}' % ind)


def render(fdp):
    out = ['// Generated by extract-protos.py from the `tensorboard` pip package\'s compiled descriptors.',
           '// Copyright The TensorFlow Authors. Licensed under the Apache License, Version 2.0 (see ../../../../LICENSE).',
           '', 'syntax = "%s";' % (fdp.syntax or 'proto2'), '', 'package %s;' % fdp.package, '']
    for dep in fdp.dependency:
        out.append('import "%s";' % dep)
    if fdp.dependency:
        out.append('')
    o = fdp.options
    for name in ('cc_enable_arenas', 'java_multiple_files'):
        if o.HasField(name):
            out.append('option %s = %s;' % (name, 'true' if getattr(o, name) else 'false'))
    for name in ('java_outer_classname', 'java_package', 'go_package'):
        if o.HasField(name):
            out.append('option %s = "%s";' % (name, getattr(o, name)))
    out.append('')
    for e in fdp.enum_type:
        enum(e, '', out)
        out.append('')
    for m in fdp.message_type:
        message(m, fdp.package, '', out)
        out.append('')
    return '\n'.join(out).rstrip('\n') + '\n'


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    seen = {}

    def walk(fd):
        if fd.name in seen:
            return
        seen[fd.name] = fd
        for dep in fd.dependencies:
            walk(dep)

    walk(importlib.import_module(ROOT).DESCRIPTOR)
    for name, fd in sorted(seen.items()):
        fdp = d.FileDescriptorProto()
        fd.CopyToProto(fdp)
        path = os.path.join(here, 'proto', name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as fh:
            fh.write(render(fdp))
        print(path)


if __name__ == '__main__':
    main()
