# gpu.history (docs/protocol/gpu.history.md): the GPUs' recent rounds from
# the ring in memory; the runner's daemon has four fake H100s, sampled
# every 2 s from its start.

# One GPU: its samples as [time, util_pct, mem_used_mb, temp_c, power_w,
# lost] arrays, oldest first.
! until {"verb":"gpu.history","params":{"gpu":0}} {"gpus":[{"index":0,"samples":["*arr","..."],"...":"*"}],"...":"*"}
> {"id":1,"verb":"gpu.history","params":{"gpu":0}}
< {"id":1,"result":{"since":"*int","now":"*int","interval":2,"step":2,"fields":["time","util_pct","mem_used_mb","temp_c","power_w","lost"],"gpus":[{"index":0,"uuid":"~^GPU-[0-9a-f-]{36}$","samples":[["*int","*int","*int","*int","*int",0],"..."]}]}}

# Every GPU, with a step of a minute: the points are averages.
> {"id":2,"verb":"gpu.history","params":{"step":60}}
< {"id":2,"result":{"since":"*int","now":"*int","interval":2,"step":60,"fields":"*arr","gpus":[{"index":0,"uuid":"*str","samples":"*arr"},{"index":1,"uuid":"*str","samples":"*arr"},{"index":2,"uuid":"*str","samples":"*arr"},{"index":3,"uuid":"*str","samples":"*arr"}]}}

# Nothing after a time in the future.
> {"id":3,"verb":"gpu.history","params":{"gpu":3,"since":9000000000000}}
< {"id":3,"result":{"since":9000000000000,"now":"*int","interval":2,"step":2,"fields":"*arr","gpus":[{"index":3,"uuid":"*str","samples":[]}]}}

# It reads; no event follows.
! no-events

# Bad input.
> {"id":4,"verb":"gpu.history","params":{"gpu":4}}
< {"id":4,"error":{"code":"EINVAL","message":"no GPU 4: this node has 4"}}
> {"id":5,"verb":"gpu.history","params":{"gpu":-1}}
< {"id":5,"error":{"code":"EINVAL","message":"\"gpu\" must be between 0 and 63"}}
> {"id":6,"verb":"gpu.history","params":{"step":0}}
< {"id":6,"error":{"code":"EINVAL","message":"\"step\" must be between 1 and 86400"}}
> {"id":7,"verb":"gpu.history","params":{"since":"yesterday"}}
< {"id":7,"error":{"code":"EINVAL","message":"\"since\" must be an integer"}}
> {"id":8,"verb":"gpu.history","params":{"until":1}}
< {"id":8,"error":{"code":"EINVAL","message":"unknown parameter \"until\""}}
> {"id":20,"verb":"gpu.history","params":{"gpu":"0"}}
< {"id":20,"error":{"code":"EINVAL","message":"\"gpu\" must be an integer"}}
> {"id":21,"verb":"gpu.history","params":{"gpu":64}}
< {"id":21,"error":{"code":"EINVAL","message":"\"gpu\" must be between 0 and 63"}}
> {"id":22,"verb":"gpu.history","params":{"step":86401}}
< {"id":22,"error":{"code":"EINVAL","message":"\"step\" must be between 1 and 86400"}}
> {"id":23,"verb":"gpu.history","params":{"step":1.5}}
< {"id":23,"error":{"code":"EINVAL","message":"\"step\" must be an integer"}}
> {"id":24,"verb":"gpu.history","params":{"since":-1}}
< {"id":24,"error":{"code":"EINVAL","message":"\"since\" must be between 0 and 9007199254740991"}}
> {"id":25,"verb":"gpu.history","params":{"since":9007199254740992}}
< {"id":25,"error":{"code":"EINVAL","message":"\"since\" must be between 0 and 9007199254740991"}}
> {"id":26,"verb":"gpu.history","params":[0]}
< {"id":26,"error":{"code":"EPROTO","message":"\"params\" must be an object"}}
# All of time at a step of a second: the step grows so that the answer
# stays within its 20000 points (four GPUs: at most 5000 each).
> {"id":27,"verb":"gpu.history","params":{"since":0,"step":1}}
< {"id":27,"result":{"since":0,"now":"*int","interval":2,"step":"*int","fields":"*arr","gpus":[{"index":0,"uuid":"*str","samples":"*arr"},{"index":1,"uuid":"*str","samples":"*arr"},{"index":2,"uuid":"*str","samples":"*arr"},{"index":3,"uuid":"*str","samples":"*arr"}]}}

# The live side: gpu.sample events, every round, to those who subscribe.
# Telemetry is outside the numbered stream: seq 0.
> {"id":9,"verb":"events.subscribe","params":{"events":["gpu.sample"]}}
< {"id":9,"result":{"seq":0}}
<event {"event":"gpu.sample","seq":0,"data":{"time":"*int","gpus":[{"index":0,"util":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","alloc":0},{"index":1,"...":"*"},{"index":2,"...":"*"},{"index":3,"...":"*"}]}}
<event {"event":"gpu.sample","seq":0,"data":{"time":"*int","gpus":"*arr"}}

# A subscription to everything gets them too, still with seq 0 once
# numbered events exist; what a job holds shows in "alloc".
! close
> {"id":10,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","gpus":4,"cpus":0.5,"mem_mb":100,"kill_grace_s":0}}
< {"id":10,"result":{"job":{"id":1,"...":"*"}}}
! wait-state 1 RUNNING
> {"id":11,"verb":"events.subscribe","params":{}}
< {"id":11,"result":{"seq":"*int"}}
<event {"event":"gpu.sample","seq":0,"data":{"time":"*int","gpus":[{"index":0,"alloc":1,"...":"*"},{"index":1,"alloc":1,"...":"*"},{"index":2,"alloc":1,"...":"*"},{"index":3,"alloc":1,"...":"*"}]}}
> {"id":12,"verb":"job.cancel","params":{"id":1}}
< {"id":12,"result":{"job":{"id":1,"...":"*"},"cancelling":true}}
! wait-state 1 CANCELLED
