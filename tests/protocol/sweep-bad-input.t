# sweep.create and the other sweep verbs against bad input: wrong types,
# hostile sweep files, shell metacharacters in values.  Each gets a clear
# error (or is taken literally) and the daemon keeps serving.

# Wrong types: each names its parameter.
> {"id":1,"verb":"sweep.create","params":{"file":1,"workdir":"/tmp"}}
< {"id":1,"error":{"code":"EINVAL","message":"\"file\" must be a string"}}
> {"id":2,"verb":"sweep.create","params":{"file":["method: grid"],"workdir":"/tmp"}}
< {"id":2,"error":{"code":"EINVAL","message":"\"file\" must be a string"}}
> {"id":3,"verb":"sweep.create","params":{"file":"x","workdir":"/tmp","format":1}}
< {"id":3,"error":{"code":"EINVAL","message":"\"format\" must be a string"}}
> {"id":4,"verb":"sweep.create","params":{"file":"x","workdir":"/tmp","name":5}}
< {"id":4,"error":{"code":"EINVAL","message":"\"name\" must be a string"}}
> {"id":5,"verb":"sweep.create","params":{"file":"x","workdir":"/tmp","dry_run":"yes"}}
< {"id":5,"error":{"code":"EINVAL","message":"\"dry_run\" must be true or false"}}
> {"id":6,"verb":"sweep.create","params":{"file":"x","workdir":7}}
< {"id":6,"error":{"code":"EINVAL","message":"\"workdir\" must be a string"}}
> {"id":7,"verb":"sweep.create","params":{"file":"x","workdir":"/tmp","path":{}}}
< {"id":7,"error":{"code":"EINVAL","message":"\"path\" must be a string"}}
> {"id":8,"verb":"sweep.create","params":{"from_job":"1"}}
< {"id":8,"error":{"code":"EINVAL","message":"\"from_job\" must be an integer"}}
> {"id":9,"verb":"sweep.create","params":{"from_job":-1}}
< {"id":9,"error":{"code":"EINVAL","message":"~^\"from_job\" must be between 1 and "}}
> {"id":10,"verb":"sweep.create","params":{"file":"x","workdir":"/tmp","env":["A=1"]}}
< {"id":10,"error":{"code":"EINVAL","message":"\"env\" must be an object of strings"}}
> {"id":11,"verb":"sweep.create","params":{"file":"command: [/bin/true]\nmethod: grid\nparameters:\n  t: {values: [1]}\nresources: {gpus: 0.5, cpus: 0.1, mem: 10M}\n","workdir":"/tmp","env":{"A":1}}}
< {"id":11,"error":{"code":"EINVAL","message":"~^\"env\" names must look like NAME_1 and values be strings"}}
> {"id":12,"verb":"sweep.create","params":{"file":"x","workdir":"/tmp","name":"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"}}
< {"id":12,"error":{"code":"EINVAL","message":"\"name\" is longer than 63 bytes"}}
> {"id":13,"verb":"sweep.create","params":"method: grid"}
< {"id":13,"error":{"code":"EPROTO","message":"\"params\" must be an object"}}

# Files that are not sweeps: empty, binary, too deep, aliases, a
# scalar, a duplicated key.  The message names the file's line.
> {"id":14,"verb":"sweep.create","params":{"file":"","workdir":"/tmp"}}
< {"id":14,"error":{"code":"EINVAL","message":"sweep.yaml:1: the file is empty"}}
> {"id":15,"verb":"sweep.create","params":{"file":"\u0001\u0002\u007f","workdir":"/tmp"}}
< {"id":15,"error":{"code":"EINVAL","message":"sweep.yaml:1: YAML: control characters are not allowed"}}
> {"id":16,"verb":"sweep.create","params":{"file":"a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n","workdir":"/tmp"}}
< {"id":16,"error":{"code":"EINVAL","message":"sweep.yaml:1: nested deeper than 32"}}
> {"id":17,"verb":"sweep.create","params":{"file":"method: grid\nparameters:\n  a: &x {values: [1]}\n  b: *x\n","workdir":"/tmp"}}
< {"id":17,"error":{"code":"EINVAL","message":"sweep.yaml:4: YAML aliases are not supported"}}
> {"id":18,"verb":"sweep.create","params":{"file":"42","workdir":"/tmp"}}
< {"id":18,"error":{"code":"EINVAL","message":"sweep.yaml:1: a sweep file is a mapping of keys, not an integer"}}
> {"id":19,"verb":"sweep.create","params":{"file":"{\"method\": \"grid\", \"method\": \"random\"}","workdir":"/tmp"}}
< {"id":19,"error":{"code":"EINVAL","message":"sweep.json:1: JSON: duplicate object key near '\"method\"'"}}
> {"id":20,"verb":"sweep.create","params":{"file":"method: grid\nparameters:\n  t: {values: [1]}\ncommand: [/bin/echo, \"${nope}\"]\n","workdir":"/tmp"}}
< {"id":20,"error":{"code":"EINVAL","message":"sweep.yaml:4: command: unknown macro ${nope} (not a parameter)"}}

# Still serving, and nothing was made.
> {"id":21,"verb":"sweep.list","params":{}}
< {"id":21,"result":{"sweeps":[],"total":0}}
> {"id":22,"verb":"job.list","params":{"all":true}}
< {"id":22,"result":{"jobs":[],"total":0,"next":null}}

# Shell metacharacters in values reach the trial as argv elements, each
# one argument, never through a shell: echo prints them as they are.  A
# value that looks like a macro is not expanded again.
> {"id":23,"verb":"sweep.create","params":{"file":"command: [/bin/echo, '${v}', '${args}']\nmethod: grid\nparameters:\n  v: {values: ['$(echo pwned)', 'a; echo b']}\n  w: {value: '${v} `id` | cat > y && $HOME'}\nparallel: 1\nresources: {gpus: 0.5, cpus: 0.1, mem: 10M}\n","workdir":"/tmp","dry_run":true}}
< {"id":23,"result":{"dry_run":true,"trials":[{"trial":1,"params":{"v":"$(echo pwned)","w":"${v} `id` | cat > y && $HOME"},"argv":["/bin/echo","$(echo pwned)","--v=$(echo pwned)","--w=${v} `id` | cat > y && $HOME"]},{"trial":2,"params":{"v":"a; echo b","w":"*str"},"argv":["/bin/echo","a; echo b","--v=a; echo b","--w=${v} `id` | cat > y && $HOME"]}],"...":"*"}}
> {"id":24,"verb":"sweep.create","params":{"file":"command: [/bin/echo, '${v}', '${args}']\nmethod: grid\nparameters:\n  v: {values: ['$(echo pwned)', 'a; echo b']}\n  w: {value: '${v} `id` | cat > y && $HOME'}\nparallel: 1\nresources: {gpus: 0.5, cpus: 0.1, mem: 10M}\n","workdir":"/tmp","name":"meta"}}
< {"id":24,"result":{"sweep":{"id":1,"name":"meta","started":1,"...":"*"},"warnings":[]}}
> {"id":25,"verb":"job.show","params":{"id":1}}
< {"id":25,"result":{"job":{"id":1,"argv":["/bin/echo","$(echo pwned)","--v=$(echo pwned)","--w=${v} `id` | cat > y && $HOME"],"...":"*"}}}
! wait-state 1 COMPLETED
! until {"verb":"job.logs","params":{"id":1}} {"data":"$(echo pwned) --v=$(echo pwned) --w=${v} `id` | cat > y && $HOME\n","...":"*"}
# The second trial follows the first.
! wait-state 2 COMPLETED
! until {"verb":"job.logs","params":{"id":2}} {"data":"a; echo b --v=a; echo b --w=${v} `id` | cat > y && $HOME\n","...":"*"}

# The other sweep verbs: wrong types, missing and unknown ids.
> {"id":26,"verb":"sweep.show","params":{}}
< {"id":26,"error":{"code":"EINVAL","message":"\"id\" is required"}}
> {"id":27,"verb":"sweep.show","params":{"id":"1"}}
< {"id":27,"error":{"code":"EINVAL","message":"\"id\" must be an integer"}}
> {"id":28,"verb":"sweep.show","params":{"id":99}}
< {"id":28,"error":{"code":"ENOENT","message":"no sweep 99"}}
> {"id":29,"verb":"sweep.show","params":{"id":1,"points":1}}
< {"id":29,"error":{"code":"EINVAL","message":"~^\"points\" must be between 2 and "}}
> {"id":30,"verb":"sweep.show","params":{"id":1,"series":1}}
< {"id":30,"error":{"code":"EINVAL","message":"\"series\" must be true or false"}}
> {"id":31,"verb":"sweep.pause","params":{"id":0}}
< {"id":31,"error":{"code":"EINVAL","message":"~^\"id\" must be between 1 and "}}
> {"id":32,"verb":"sweep.resume","params":{"id":[1]}}
< {"id":32,"error":{"code":"EINVAL","message":"\"id\" must be an integer"}}
> {"id":33,"verb":"sweep.stop","params":{"id":1,"force":true}}
< {"id":33,"error":{"code":"EINVAL","message":"unknown parameter \"force\""}}
> {"id":34,"verb":"sweep.list","params":{"state":"sleeping"}}
< {"id":34,"error":{"code":"EINVAL","message":"\"state\" must be running, paused, stopped or done"}}
> {"id":35,"verb":"sweep.list","params":{"limit":0}}
< {"id":35,"error":{"code":"EINVAL","message":"~^\"limit\" must be between 1 and "}}
> {"id":36,"verb":"sweep.list","params":{"user":1}}
< {"id":36,"error":{"code":"EINVAL","message":"\"user\" must be a string"}}

# And the sweep itself ran to its end.
! until {"verb":"sweep.show","params":{"id":1}} {"sweep":{"state":"done","...":"*"},"...":"*"}
> {"id":37,"verb":"sweep.show","params":{"id":1}}
< {"id":37,"result":{"sweep":{"id":1,"state":"done","counts":{"pending":0,"running":0,"completed":2,"failed":0,"stopped":0,"cancelled":0},"...":"*"},"trials":[{"trial":1,"job":1,"state":"COMPLETED","...":"*"},{"trial":2,"job":2,"state":"COMPLETED","...":"*"}]}}

# What a trial writes is untrusted too: a step of INT64_MAX and a line
# without a step after it (the next step must not overflow), a negative
# step and a line that is not JSON (each dropped and counted), a metric
# on stdout.
> {"id":38,"verb":"sweep.create","params":{"file":"command: [/bin/sh, -c, 'printf ''%s\\n'' ''{\"step\": 9223372036854775807, \"loss\": 1}'' ''{\"loss\": 2}'' ''{\"step\": -1, \"loss\": 3}'' ''not json'' >\"$GPUQ_METRICS_FILE\"; echo ''@gpuq {\"loss\": 0.5}''']\nmethod: grid\nmetric: {name: loss, goal: minimize}\nparameters:\n  t: {values: [1]}\nresources: {gpus: 0.5, cpus: 0.1, mem: 10M}\n","workdir":"/tmp","name":"steps"}}
< {"id":38,"result":{"sweep":{"id":2,"name":"steps","started":1,"...":"*"},"warnings":[]}}
! until {"verb":"sweep.show","params":{"id":2}} {"sweep":{"state":"done","...":"*"},"...":"*"}
> {"id":39,"verb":"sweep.show","params":{"id":2}}
< {"id":39,"result":{"sweep":{"id":2,"state":"done","best":{"trial":1,"job":3,"value":0.5,"params":{"t":1}},"...":"*"},"trials":[{"trial":1,"job":3,"state":"COMPLETED","step":9223372036854775807,"metric":0.5,"best":0.5,"metrics":{"loss":0.5},"dropped":2,"...":"*"}]}}
