# cluster.status (docs/protocol/cluster.status.md).

# An idle node with four fake GPUs.
> {"id":1,"verb":"cluster.status"}
< {"id":1,"result":{"host":"*str","executor":"local","gpu_source":"fake","nodes":[{"name":"*str","cpus":"*num","cpus_alloc":0,"mem_mb":"*int","mem_alloc_mb":0,"gpus":[{"index":0,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]},{"index":1,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]},{"index":2,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]},{"index":3,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]}]}],"totals":{"gpus":4,"gpus_alloc":0,"jobs_running":0,"jobs_pending":0}}}

# Half a GPU and a whole one in use, and a job waiting for all four.
> {"id":2,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","gpus":0.5,"cpus":0.5,"mem_mb":100,"kill_grace_s":0}}
< {"id":2,"result":{"job":{"id":1,"...":"*"}}}
> {"id":3,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","gpus":1,"cpus":0.25,"mem_mb":200,"kill_grace_s":0}}
< {"id":3,"result":{"job":{"id":2,"...":"*"}}}
> {"id":4,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","gpus":4,"cpus":0.1,"mem_mb":100,"kill_grace_s":0}}
< {"id":4,"result":{"job":{"id":3,"...":"*"}}}
! wait-state 1 RUNNING
! wait-state 2 RUNNING
> {"id":5,"verb":"cluster.status"}
< {"id":5,"result":{"host":"*str","executor":"local","gpu_source":"fake","nodes":[{"name":"*str","cpus":"*num","cpus_alloc":0.75,"mem_mb":"*int","mem_alloc_mb":300,"gpus":[{"index":0,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0.5,"alloc_mem_mb":40779,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[{"id":1,"user":"root","share":0.5}]},{"index":1,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":1,"alloc_mem_mb":81559,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[{"id":2,"user":"root","share":1}]},{"index":2,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]},{"index":3,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]}]}],"totals":{"gpus":4,"gpus_alloc":1.5,"jobs_running":2,"jobs_pending":1}}}

# When they are gone, the GPUs are free again.
> {"id":6,"verb":"job.cancel","params":{"id":3}}
< {"id":6,"result":{"job":{"id":3,"state":"CANCELLED","...":"*"},"cancelling":false}}
> {"id":7,"verb":"job.cancel","params":{"id":1}}
< {"id":7,"result":{"job":{"id":1,"...":"*"},"cancelling":"*bool"}}
> {"id":8,"verb":"job.cancel","params":{"id":2}}
< {"id":8,"result":{"job":{"id":2,"...":"*"},"cancelling":"*bool"}}
! wait-state 1 CANCELLED
! wait-state 2 CANCELLED
> {"id":9,"verb":"cluster.status"}
< {"id":9,"result":{"host":"*str","executor":"local","gpu_source":"fake","nodes":[{"name":"*str","cpus":"*num","cpus_alloc":0,"mem_mb":"*int","mem_alloc_mb":0,"gpus":[{"index":0,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]},{"index":1,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]},{"index":2,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]},{"index":3,"uuid":"~^GPU-[0-9a-f-]{36}$","name":"NVIDIA H100 80GB HBM3","model":"H100-80GB","mem_mb":81559,"alloc":0,"alloc_mem_mb":0,"util_pct":"*int","mem_used_mb":"*int","temp_c":"*int","power_w":"*int","jobs":[]}]}],"totals":{"gpus":4,"gpus_alloc":0,"jobs_running":0,"jobs_pending":0}}}

# It takes no parameters.
> {"id":10,"verb":"cluster.status","params":{"node":"gpu01"}}
< {"id":10,"error":{"code":"EINVAL","message":"unknown parameter \"node\""}}
