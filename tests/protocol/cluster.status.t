# cluster.status (docs/protocol/cluster.status.md).

# An idle node with four fake GPUs.
> {"id":1,"verb":"cluster.status"}
< {"id":1,"result":{"host":"*str","executor":"local","gpu_source":"fake","nodes":[{"name":"*str","cpus":"*num","cpus_alloc":0,"mem_mb":"*int","mem_alloc_mb":0,"gpus":[{"index":0,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]},{"index":1,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]},{"index":2,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]},{"index":3,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]}]}],"totals":{"gpus":4,"gpus_alloc":0,"jobs_running":0,"jobs_pending":0}}}

# Job 1 holds every GPU; job 2 (half a GPU) waits for it.
> {"id":2,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","gpus":4,"cpus":0.5,"mem_mb":100,"kill_grace_s":0}}
< {"id":2,"result":{"job":{"id":1,"...":"*"}}}
> {"id":3,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","gpus":0.5,"cpus":0.25,"mem_mb":200,"kill_grace_s":0}}
< {"id":3,"result":{"job":{"id":2,"...":"*"}}}
! wait-state 1 RUNNING
> {"id":4,"verb":"cluster.status"}
< {"id":4,"result":{"host":"*str","executor":"local","gpu_source":"fake","nodes":[{"name":"*str","cpus":"*num","cpus_alloc":0.5,"mem_mb":"*int","mem_alloc_mb":100,"gpus":[{"index":0,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":1,"alloc_mem_mb":81559,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[{"id":1,"user":"@USER@","share":1}]},{"index":1,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":1,"alloc_mem_mb":81559,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[{"id":1,"user":"@USER@","share":1}]},{"index":2,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":1,"alloc_mem_mb":81559,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[{"id":1,"user":"@USER@","share":1}]},{"index":3,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":1,"alloc_mem_mb":81559,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[{"id":1,"user":"@USER@","share":1}]}]}],"totals":{"gpus":4,"gpus_alloc":4,"jobs_running":1,"jobs_pending":1}}}

# Once job 1 is gone, job 2 runs on half of one GPU (which one is the
# placement's choice; job.show tells).
> {"id":5,"verb":"job.cancel","params":{"id":1}}
< {"id":5,"result":{"job":{"id":1,"...":"*"},"cancelling":true}}
! wait-state 1 CANCELLED
! wait-state 2 RUNNING
> {"id":6,"verb":"cluster.status"}
< {"id":6,"result":{"host":"*str","executor":"local","gpu_source":"fake","nodes":[{"name":"*str","cpus":"*num","cpus_alloc":0.25,"mem_mb":"*int","mem_alloc_mb":200,"gpus":["*obj","*obj","*obj","*obj"]}],"totals":{"gpus":4,"gpus_alloc":0.5,"jobs_running":1,"jobs_pending":0}}}
> {"id":7,"verb":"job.show","params":{"id":2}}
< {"id":7,"result":{"job":{"id":2,"alloc":{"node":"*str","cpus":0.25,"mem_mb":200,"gpus":[{"index":"*int","uuid":"~^GPU-","share":0.5,"mem_mb":40779}]},"...":"*"}}}

# When it is gone too, everything is free again.
> {"id":8,"verb":"job.cancel","params":{"id":2}}
< {"id":8,"result":{"job":{"id":2,"...":"*"},"cancelling":true}}
! wait-state 2 CANCELLED
> {"id":9,"verb":"cluster.status"}
< {"id":9,"result":{"host":"*str","executor":"local","gpu_source":"fake","nodes":[{"name":"*str","cpus":"*num","cpus_alloc":0,"mem_mb":"*int","mem_alloc_mb":0,"gpus":[{"index":0,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]},{"index":1,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]},{"index":2,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]},{"index":3,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]}]}],"totals":{"gpus":4,"gpus_alloc":0,"jobs_running":0,"jobs_pending":0}}}

# It takes no parameters.
> {"id":10,"verb":"cluster.status","params":{"node":"gpu01"}}
< {"id":10,"error":{"code":"EINVAL","message":"unknown parameter \"node\""}}
