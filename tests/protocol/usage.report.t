# usage.report (docs/protocol/usage.report.md): GPU-hours given and used,
# per user or project.

# Nothing has run yet.
> {"id":1,"verb":"usage.report"}
< {"id":1,"result":{"since":"*int","now":"*int","by":"user","rows":[],"total":{"who":"total","jobs":0,"alloc_gpu_h":0,"used_gpu_h":0,"efficiency":null,"idle_gpu_h":0,"no_samples":0,"peak_mem_mb":0}}}

# A job on a whole GPU: once it has run through a sampling round it has
# GPU-seconds, and fake GPUs are busy while held.
> {"id":2,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","gpus":1,"cpus":0.5,"mem_mb":100,"kill_grace_s":0}}
< {"id":2,"result":{"job":{"id":1,"...":"*"}}}
! wait-state 1 RUNNING
! until {"verb":"usage.report","params":{}} {"rows":[{"who":"@USER@","jobs":1,"efficiency":"*num","no_samples":0,"...":"*"}],"...":"*"}
> {"id":3,"verb":"usage.report","params":{"by":"project","since":0}}
< {"id":3,"result":{"since":0,"now":"*int","by":"project","rows":[{"who":"default","jobs":1,"alloc_gpu_h":"*num","used_gpu_h":"*num","efficiency":"*num","idle_gpu_h":"*num","no_samples":0,"peak_mem_mb":"*int"}],"total":{"who":"total","jobs":1,"...":"*"}}}

# Its accounting shows in job.show too, with how its share is enforced.
> {"id":4,"verb":"job.show","params":{"id":1}}
< {"id":4,"result":{"job":{"id":1,"enforcement":"exclusive","gpu_usage":{"alloc_gpu_h":"*num","used_gpu_h":"*num","idle_gpu_h":"*num","efficiency":"*num","peak_mem_mb":"*int","samples":"*int"},"...":"*"},"...":"*"}}

> {"id":5,"verb":"job.cancel","params":{"id":1}}
< {"id":5,"result":{"job":{"id":1,"...":"*"},"cancelling":true}}
! wait-state 1 CANCELLED

# Bad input.
> {"id":6,"verb":"usage.report","params":{"by":"team"}}
< {"id":6,"error":{"code":"EINVAL","message":"\"by\" must be \"user\" or \"project\""}}
> {"id":7,"verb":"usage.report","params":{"since":-1}}
< {"id":7,"error":{"code":"EINVAL","...":"*"}}
> {"id":8,"verb":"usage.report","params":{"who":"me"}}
< {"id":8,"error":{"code":"EINVAL","message":"unknown parameter \"who\""}}
> {"id":9,"verb":"usage.report","params":{"since":"yesterday"}}
< {"id":9,"error":{"code":"EINVAL","message":"\"since\" must be an integer"}}
> {"id":10,"verb":"usage.report","params":{"since":9007199254740992}}
< {"id":10,"error":{"code":"EINVAL","message":"\"since\" must be between 0 and 9007199254740991"}}
> {"id":11,"verb":"usage.report","params":{"by":1}}
< {"id":11,"error":{"code":"EINVAL","message":"\"by\" must be a string"}}
> {"id":12,"verb":"usage.report","params":{"by":""}}
< {"id":12,"error":{"code":"EINVAL","message":"\"by\" must be \"user\" or \"project\""}}
> {"id":13,"verb":"usage.report","params":{"by":"projectprojectproject"}}
< {"id":13,"error":{"code":"EINVAL","message":"\"by\" is longer than 16 bytes"}}
> {"id":14,"verb":"usage.report","params":"user"}
< {"id":14,"error":{"code":"EPROTO","message":"\"params\" must be an object"}}
# A time in the future: nothing to report, no error.
> {"id":15,"verb":"usage.report","params":{"since":9000000000000,"by":"project"}}
< {"id":15,"result":{"since":9000000000000,"now":"*int","by":"project","rows":[],"total":{"who":"total","jobs":0,"...":"*"}}}
# Still serving.
> {"id":16,"verb":"usage.report","params":{}}
< {"id":16,"result":{"by":"user","rows":[{"who":"@USER@","jobs":1,"...":"*"}],"...":"*"}}
