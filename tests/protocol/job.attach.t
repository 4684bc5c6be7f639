# job.attach (docs/protocol/job.attach.md).

> {"id":1,"verb":"job.submit","params":{"argv":["/bin/sh","-c","echo ready; exec sleep 30"],"workdir":"/tmp","env":{"PATH":"/usr/bin:/bin","MODEL":"bert"},"gpus":1,"cpus":0.1,"mem_mb":100,"kill_grace_s":1}}
< {"id":1,"result":{"job":{"id":1,"...":"*"}}}
! until {"verb":"job.logs","params":{"id":1}} {"data":"ready\n","...":"*"}
# What the job's processes see, where they run, as whom.
> {"id":2,"verb":"job.attach","params":{"id":1}}
< {"id":2,"result":{"id":1,"user":"@USER@","uid":@UID@,"gid":"*int","node":"*str","host":"*str","workdir":"/tmp","env":{"PATH":"/usr/bin:/bin","MODEL":"bert","GPUQ_JOB_ID":"1","GPUQ_RESTART_COUNT":"0","CUDA_DEVICE_ORDER":"PCI_BUS_ID","CUDA_VISIBLE_DEVICES":"~^GPU-","GPUQ_GPU_FRACTION":"1","GPUQ_GPU_MEM_LIMIT_MB":"*str","...":"*"}}}

# Only a running job.
> {"id":3,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":4,"cpus":0.1,"mem_mb":100}}
< {"id":3,"result":{"job":{"id":2,"state":"PENDING","...":"*"}}}
> {"id":4,"verb":"job.attach","params":{"id":2}}
< {"id":4,"error":{"code":"ESTATE","message":"job 2 is PENDING: only a running job can be attached to"}}
! until {"verb":"job.suspend","params":{"id":1}} {"mechanism":"stop","...":"*"}
! wait-state 1 SUSPENDED
> {"id":5,"verb":"job.attach","params":{"id":1}}
< {"id":5,"error":{"code":"ESTATE","message":"job 1 is SUSPENDED: only a running job can be attached to (resume it first)"}}

# Bad requests.
> {"id":6,"verb":"job.attach","params":{}}
< {"id":6,"error":{"code":"EINVAL","message":"\"id\" is required"}}
> {"id":7,"verb":"job.attach","params":{"id":5}}
< {"id":7,"error":{"code":"ENOENT","message":"no job 5"}}
> {"id":8,"verb":"job.attach","params":{"id":1,"shell":"/bin/sh"}}
< {"id":8,"error":{"code":"EINVAL","message":"unknown parameter \"shell\""}}
> {"id":9,"verb":"job.cancel","params":{"id":1}}
< {"id":9,"result":{"job":{"id":1,"...":"*"},"cancelling":"*bool"}}
! wait-state 1 CANCELLED
