# sweep.create (docs/protocol/sweep.create.md): a sweep file's errors name
# their line; a dry run lists the trials and stores nothing; a sweep
# submits its first trials in the request's own transaction, each a job
# that names its sweep; a retried key answers the first reply again.

> {"id":1,"verb":"sweep.create","params":{}}
< {"id":1,"error":{"code":"EINVAL","message":"\"file\" is required (or \"from_job\")"}}
> {"id":2,"verb":"sweep.create","params":{"file":"method: grid\nparameters:\n  x: {min: 2, max: 1}\n","workdir":"/tmp","path":"s.yaml"}}
< {"id":2,"error":{"code":"EINVAL","message":"s.yaml:3: parameters.x: min 2 is greater than max 1"}}
> {"id":3,"verb":"sweep.create","params":{"file":"{\"method\": \"grid\",\n \"metric\": {\"name\": 1}}","workdir":"/tmp"}}
< {"id":3,"error":{"code":"EINVAL","message":"~^sweep.json:2: metric.name: "}}
> {"id":4,"verb":"sweep.create","params":{"file":"x","workdir":"/tmp","bogus":1}}
< {"id":4,"error":{"code":"EINVAL","message":"unknown parameter \"bogus\""}}
> {"id":5,"verb":"sweep.create","params":{"file":"command: [/bin/sleep, \"${t}\"]\nmethod: grid\nparameters:\n  t: {values: [30, 31]}\nparallel: 1\nresources: {gpus: 0.5, cpus: 0.1, mem: 10M}\n","workdir":"tmp"}}
< {"id":5,"error":{"code":"EINVAL","message":"\"workdir\" must be an absolute path"}}
> {"id":6,"verb":"sweep.create","params":{"file":"command: [/bin/sleep, \"${t}\"]\nmethod: grid\nparameters:\n  t: {values: [30, 31]}\nparallel: 1\nresources: {gpus: 0.5, cpus: 0.1, mem: 10M}\n","workdir":"/tmp","name":"no spaces"}}
< {"id":6,"error":{"code":"EINVAL","message":"\"name\" must be 1-63 of A-Z a-z 0-9 _ - ."}}
> {"id":7,"verb":"sweep.create","params":{"file":"command: [/bin/sleep, \"${t}\"]\nmethod: grid\nparameters:\n  t: {values: [30, 31]}\nparallel: 1\nresources: {gpus: 0.5, cpus: 0.1, mem: 10M}\n","workdir":"/tmp","format":"toml"}}
< {"id":7,"error":{"code":"EINVAL","message":"\"format\" must be \"yaml\" or \"json\""}}
> {"id":8,"verb":"sweep.create","params":{"file":"command: [/bin/sleep, \"${t}\"]\nmethod: grid\nparameters:\n  t: {values: [30, 31]}\nparallel: 1\nresources: {gpus: 0.5, cpus: 0.1, mem: 10M}\n","workdir":"/tmp","from_job":99}}
< {"id":8,"error":{"code":"ENOENT","message":"no job 99"}}
# A trial that no node could hold: job.submit's own refusal.
> {"id":9,"verb":"sweep.create","params":{"file":"command: [/bin/sleep, \"1\"]\nmethod: random\nparameters:\n  t: {values: [1]}\nresources: {gpus: 8}\n","workdir":"/tmp"}}
< {"id":9,"error":{"code":"ENOFIT","message":"*str"}}

# A dry run lists both trials; nothing is stored.
> {"id":10,"verb":"sweep.create","params":{"file":"command: [/bin/sleep, \"${t}\"]\nmethod: grid\nparameters:\n  t: {values: [30, 31]}\nparallel: 1\nresources: {gpus: 0.5, cpus: 0.1, mem: 10M}\n","workdir":"/tmp","dry_run":true,"name":"naps"}}
< {"id":10,"result":{"dry_run":true,"name":"naps","method":"grid","budget":2,"parallel":1,"trials":[{"trial":1,"params":{"t":30},"argv":["/bin/sleep","30"]},{"trial":2,"params":{"t":31},"argv":["/bin/sleep","31"]}],"listed":2,"gpus":0.5,"time_limit_s":0,"gpu_hours":null,"project":"default","spec":"*obj","warnings":[]}}
> {"id":11,"verb":"sweep.list","params":{}}
< {"id":11,"result":{"sweeps":[],"total":0}}
> {"id":12,"verb":"job.list","params":{"all":true}}
< {"id":12,"result":{"jobs":[],"total":0,"next":null}}

# The sweep: its first trial is submitted with it; the events follow the
# reply, the trial's job carrying its sweep.
> {"id":13,"verb":"events.subscribe","params":{"events":["sweep.state","sweep.trial","job.state"]}}
< {"id":13,"result":{"seq":"*int"}}
> {"id":14,"verb":"sweep.create","params":{"file":"command: [/bin/sleep, \"${t}\"]\nmethod: grid\nparameters:\n  t: {values: [30, 31]}\nparallel: 1\nresources: {gpus: 0.5, cpus: 0.1, mem: 10M}\n","workdir":"/tmp","name":"naps","key":"k1"}}
< {"id":14,"result":{"sweep":{"id":1,"name":"naps","user":"@USER@","project":"default","state":"running","method":"grid","metric":null,"early_terminate":null,"parallel":1,"budget":2,"created":"*int","ended":0,"reason":null,"started":1,"counts":{"pending":1,"running":0,"completed":0,"failed":0,"stopped":0,"cancelled":0},"best":null,"gpu_seconds":0},"warnings":[]}}
< {"event":"sweep.state","seq":"*int","data":{"sweep":{"id":1,"state":"running","started":0,"...":"*"}}}
< {"event":"job.state","seq":"*int","data":{"job":{"id":1,"name":"naps-t1","state":"PENDING","argv":["/bin/sleep","30"],"workdir":"/tmp","sweep":{"id":1,"trial":1},"...":"*"}}}
< {"event":"sweep.trial","seq":"*int","data":{"sweep":1,"trial":1,"job":1,"state":"PENDING","step":null,"metric":null}}
<event {"event":"sweep.trial","seq":"*int","data":{"sweep":1,"trial":1,"job":1,"state":"RUNNING","step":null,"metric":null}}
> {"id":15,"verb":"job.show","params":{"id":1}}
< {"id":15,"result":{"job":{"id":1,"env":{"GPUQ_SWEEP_ID":"1","GPUQ_TRIAL":"1","GPUQ_METRICS_FILE":"@DIR@/state/jobs/1/metrics.jsonl","...":"*"},"sweep":{"id":1,"trial":1},"...":"*"}}}

# The same key again: the first answer, and still one sweep.
> {"id":16,"verb":"sweep.create","params":{"file":"command: [/bin/sleep, \"${t}\"]\nmethod: grid\nparameters:\n  t: {values: [30, 31]}\nparallel: 1\nresources: {gpus: 0.5, cpus: 0.1, mem: 10M}\n","workdir":"/tmp","name":"naps","key":"k1"}}
< {"id":16,"result":{"sweep":{"id":1,"started":1,"...":"*"},"warnings":[]}}
> {"id":17,"verb":"sweep.list","params":{}}
< {"id":17,"result":{"sweeps":[{"id":1,"...":"*"}],"total":1}}
