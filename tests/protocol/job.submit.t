# job.submit (docs/protocol/job.submit.md).

# The smallest request: argv and workdir.  Every default shows.
> {"id":1,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp"}}
< {"id":1,"result":{"job":{"id":1,"name":"true","user":"@USER@","project":"default","class":"train","priority":0,"preemptible":true,"state":"PENDING","submit_time":"*int","start_time":0,"end_time":0,"request":{"gpus":0,"gpu_mem_mb":0,"cpus":1,"mem_mb":4096,"time_limit_s":0},"alloc":null,"argv":["/bin/true"],"workdir":"/tmp","exit_code":null,"exit_signal":null,"reason":null,"attempt":0,"kill_grace_s":10,"wait":null}}}
! wait-state 1 COMPLETED
> {"id":2,"verb":"job.show","params":{"id":1}}
< {"id":2,"result":{"job":{"id":1,"state":"COMPLETED","exit_code":0,"exit_signal":null,"reason":null,"start_time":"*int","end_time":"*int","alloc":{"node":"*str","cpus":1,"mem_mb":4096,"gpus":[]},"...":"*"}}}

# Every parameter at once.
> {"id":3,"verb":"job.submit","params":{"argv":["/bin/sh","-c","echo \"$GREETING\""],"workdir":"/","env":{"GREETING":"hi there","_X1":""},"name":"greet","project":"vision.v2","gpus":0.5,"cpus":0.25,"mem_mb":100,"time_limit_s":60,"class":"inference","priority":-1000,"preemptible":true,"kill_grace_s":3,"key":"submit-3"}}
< {"id":3,"result":{"job":{"id":2,"name":"greet","user":"@USER@","project":"vision.v2","class":"inference","priority":-1000,"preemptible":true,"state":"PENDING","submit_time":"*int","start_time":0,"end_time":0,"request":{"gpus":0.5,"gpu_mem_mb":0,"cpus":0.25,"mem_mb":100,"time_limit_s":60},"alloc":null,"argv":["/bin/sh","-c","echo \"$GREETING\""],"workdir":"/","exit_code":null,"exit_signal":null,"reason":null,"attempt":0,"kill_grace_s":3,"wait":null}}}
! wait-state 2 COMPLETED
> {"id":4,"verb":"job.show","params":{"id":2}}
< {"id":4,"result":{"job":{"id":2,"env":{"GREETING":"hi there","_X1":""},"alloc":{"node":"*str","cpus":0.25,"mem_mb":100,"gpus":[{"index":"*int","uuid":"~^GPU-","share":0.5,"mem_mb":"*int"}]},"...":"*"}}}
> {"id":5,"verb":"job.logs","params":{"id":2}}
< {"id":5,"result":{"data":"hi there\n","offset":0,"next":9,"size":9,"ended":true}}

# Defaults by class: interactive and inference jobs are not preemptible.
> {"id":6,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","class":"interactive","gpu_mem_mb":20000,"mem_mb":100,"cpus":0.1}}
< {"id":6,"result":{"job":{"id":3,"class":"interactive","preemptible":false,"request":{"gpus":0,"gpu_mem_mb":20000,"cpus":0.1,"mem_mb":100,"time_limit_s":0},"...":"*"}}}

# Whole GPUs: the job gets them, each its own.
> {"id":7,"verb":"job.submit","params":{"argv":["/bin/sleep","30"],"workdir":"/tmp","gpus":2,"cpus":0.1,"mem_mb":100,"kill_grace_s":0}}
< {"id":7,"result":{"job":{"id":4,"request":{"gpus":2,"...":"*"},"...":"*"}}}
! wait-state 4 RUNNING
> {"id":8,"verb":"job.show","params":{"id":4}}
< {"id":8,"result":{"job":{"id":4,"state":"RUNNING","alloc":{"node":"*str","cpus":0.1,"mem_mb":100,"gpus":[{"index":"*int","uuid":"~^GPU-","share":1,"mem_mb":"*int"},{"index":"*int","uuid":"~^GPU-","share":1,"mem_mb":"*int"}]},"...":"*"}}}
> {"id":9,"verb":"job.cancel","params":{"id":4}}
< {"id":9,"result":{"job":{"id":4,"...":"*"},"cancelling":true}}
! wait-state 4 CANCELLED

# What is required, and what each parameter must look like.
> {"id":10,"verb":"job.submit","params":{"workdir":"/tmp"}}
< {"id":10,"error":{"code":"EINVAL","message":"~argv"}}
> {"id":11,"verb":"job.submit","params":{"argv":["/bin/true"]}}
< {"id":11,"error":{"code":"EINVAL","message":"~workdir"}}
> {"id":12,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"tmp"}}
< {"id":12,"error":{"code":"EINVAL","message":"~absolute"}}
> {"id":13,"verb":"job.submit","params":{"argv":[],"workdir":"/tmp"}}
< {"id":13,"error":{"code":"EINVAL","message":"~argv"}}
> {"id":14,"verb":"job.submit","params":{"argv":[""],"workdir":"/tmp"}}
< {"id":14,"error":{"code":"EINVAL","message":"~argv\\[0\\]"}}
> {"id":15,"verb":"job.submit","params":{"argv":["/bin/echo",1],"workdir":"/tmp"}}
< {"id":15,"error":{"code":"EINVAL","message":"~strings"}}
> {"id":16,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","env":{"1BAD":"x"}}}
< {"id":16,"error":{"code":"EINVAL","message":"~env"}}
> {"id":17,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","env":{"A=B":"x"}}}
< {"id":17,"error":{"code":"EINVAL","message":"~env"}}
> {"id":18,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","env":{"A":1}}}
< {"id":18,"error":{"code":"EINVAL","message":"~env"}}
> {"id":19,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","env":["A=1"]}}
< {"id":19,"error":{"code":"EINVAL","message":"~env"}}
> {"id":20,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","project":"../etc"}}
< {"id":20,"error":{"code":"EINVAL","message":"~project"}}
> {"id":21,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","project":""}}
< {"id":21,"error":{"code":"EINVAL","message":"~project"}}
> {"id":22,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","class":"batch"}}
< {"id":22,"error":{"code":"EINVAL","message":"~class"}}
> {"id":23,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","priority":1001}}
< {"id":23,"error":{"code":"EINVAL","message":"~priority"}}
> {"id":24,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","priority":1.5}}
< {"id":24,"error":{"code":"EINVAL","message":"~priority"}}
> {"id":25,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","kill_grace_s":3601}}
< {"id":25,"error":{"code":"EINVAL","message":"~kill_grace_s"}}
> {"id":26,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","preemptible":"yes"}}
< {"id":26,"error":{"code":"EINVAL","message":"~preemptible"}}
> {"id":27,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":2,"gpu_mem_mb":1000}}
< {"id":27,"error":{"code":"EINVAL","message":"~gpu_mem_mb"}}
> {"id":28,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":0.0005}}
< {"id":28,"error":{"code":"EINVAL","message":"~1/1000"}}
> {"id":29,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","cpus":0}}
< {"id":29,"error":{"code":"EINVAL","message":"~cpus"}}
> {"id":30,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","mem_mb":0}}
< {"id":30,"error":{"code":"EINVAL","message":"~mem_mb"}}
> {"id":31,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","time_limit_s":-1}}
< {"id":31,"error":{"code":"EINVAL","message":"~time_limit_s"}}
> {"id":32,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","key":""}}
< {"id":32,"error":{"code":"EINVAL","message":"~key"}}
> {"id":33,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","key":"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"}}
< {"id":33,"error":{"code":"EINVAL","message":"~key"}}
> {"id":34,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","name":"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"}}
< {"id":34,"error":{"code":"EINVAL","message":"~name"}}
> {"id":35,"verb":"job.submit"}
< {"id":35,"error":{"code":"EINVAL","message":"~argv"}}

# A key of 128 bytes is fine; the name may hold 128 bytes.
> {"id":36,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","mem_mb":100,"cpus":0.1,"key":"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk","name":"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"}}
< {"id":36,"result":{"job":{"id":5,"name":"~^n{128}$","...":"*"}}}

# None of the refused requests made a job.
> {"id":37,"verb":"job.list","params":{"all":true}}
< {"id":37,"result":{"jobs":[{"id":1,"...":"*"},{"id":2,"...":"*"},{"id":3,"...":"*"},{"id":4,"...":"*"},{"id":5,"...":"*"}],"total":5,"next":null}}
