# Bad input: each gets a clear error, and the daemon keeps serving this
# connection, new ones, and everybody else.

# Malformed JSON, then a good request on the same connection.
> {"id":1,
< {"id":null,"error":{"code":"EPROTO","message":"~^malformed JSON"}}
> {"id":2,"verb":"hello"}
< {"id":2,"result":{"proto":1,"...":"*"}}
> not json at all
< {"id":null,"error":{"code":"EPROTO","message":"~^malformed JSON"}}
>>raw {"id":3,"verb":"hello","params":{"x":"\xff\xfe"}}\n
< {"id":null,"error":{"code":"EPROTO","message":"~^malformed JSON"}}
>>raw {"id":4,\x00"verb":"hello"}\n
# The parser's complaint quotes bytes that are not UTF-8: still a reply.
>>raw [1,2,{"a":"\\u0\xd0\x9a\xc6\xa3ud83d"}]\n
< {"id":null,"error":{"code":"EPROTO","message":"~^malformed JSON"}}
< {"id":null,"error":{"code":"EPROTO","message":"*str"}}

# JSON that is not a request.
> [1,2,3]
< {"id":null,"error":{"code":"EPROTO","message":"~object"}}
> "job.submit"
< {"id":null,"error":{"code":"EPROTO","message":"*str"}}
> {}
< {"id":null,"error":{"code":"EPROTO","message":"*str"}}
> {"id":5,"result":{}}
< {"id":null,"error":{"code":"EPROTO","message":"~hello and requests"}}
> {"event":"job.state","seq":1,"data":{}}
< {"id":null,"error":{"code":"EPROTO","message":"~hello and requests"}}
> {"id":-1,"verb":"hello"}
< {"id":null,"error":{"code":"EPROTO","message":"~id"}}
> {"id":"6","verb":"hello"}
< {"id":null,"error":{"code":"EPROTO","message":"~id"}}
> {"id":1.5,"verb":"hello"}
< {"id":null,"error":{"code":"EPROTO","message":"~id"}}
> {"id":9007199254740992,"verb":"hello"}
< {"id":null,"error":{"code":"EPROTO","message":"~id"}}
> {"verb":"hello"}
< {"id":null,"error":{"code":"EPROTO","message":"~id"}}
> {"id":7,"verb":"Job.Submit"}
< {"id":7,"error":{"code":"EPROTO","message":"~verb"}}
> {"id":8,"verb":7}
< {"id":8,"error":{"code":"EPROTO","message":"~verb"}}
> {"id":9,"verb":""}
< {"id":9,"error":{"code":"EPROTO","message":"~verb"}}
> {"id":10,"verb":"hello","params":[]}
< {"id":10,"error":{"code":"EPROTO","message":"~params"}}
> {"id":11,"verb":"hello","extra":true}
< {"id":11,"error":{"code":"EPROTO","message":"~only id, verb and params"}}
> {"id":12,"id":13,"verb":"hello"}
< {"id":null,"error":{"code":"EPROTO","message":"~duplicate"}}

# Unknown verb.
> {"id":14,"verb":"job.frobnicate"}
< {"id":14,"error":{"code":"ENOSYS","message":"unknown verb \"job.frobnicate\""}}
> {"id":15,"verb":"shutdown"}
< {"id":15,"error":{"code":"ENOSYS","message":"*str"}}

# Empty lines are ignored; CRLF line ends are tolerated; a request may
# arrive in pieces, and several in one write.
>>raw \n\r\n\n
>>raw {"id":16,"verb":"hel
>>raw lo"}\r\n{"id":17,"verb":"hello"}\n
< {"id":16,"result":{"proto":1,"...":"*"}}
< {"id":17,"result":{"proto":1,"...":"*"}}

# A new connection is served as well.
! close
> {"id":18,"verb":"hello"}
< {"id":18,"result":{"proto":1,"...":"*"}}

# A line over the 1 MiB cap: ETOOBIG, then a normal request works.  A line
# of exactly 1 MiB passes the framing (and is not JSON).
>> 1048577
< {"id":null,"error":{"code":"ETOOBIG","message":"*str"}}
> {"id":19,"verb":"hello"}
< {"id":19,"result":{"proto":1,"...":"*"}}
>> 1048576
< {"id":null,"error":{"code":"EPROTO","message":"~^malformed JSON"}}
>> 5000000
< {"id":null,"error":{"code":"ETOOBIG","message":"*str"}}
> {"id":20,"verb":"hello"}
< {"id":20,"result":{"proto":1,"...":"*"}}

# Wrong parameter types.
> {"id":21,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":"abc"}}
< {"id":21,"error":{"code":"EINVAL","message":"\"gpus\" must be a number"}}
> {"id":22,"verb":"job.submit","params":{"argv":"/bin/true","workdir":"/tmp"}}
< {"id":22,"error":{"code":"EINVAL","message":"~argv"}}
> {"id":23,"verb":"job.submit","params":{"argv":{"0":"/bin/true"},"workdir":"/tmp"}}
< {"id":23,"error":{"code":"EINVAL","message":"~argv"}}
> {"id":24,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":["/tmp"]}}
< {"id":24,"error":{"code":"EINVAL","message":"~workdir"}}
> {"id":25,"verb":"job.show","params":{"id":"1"}}
< {"id":25,"error":{"code":"EINVAL","message":"\"id\" must be an integer"}}
> {"id":26,"verb":"job.cancel","params":{"id":[1]}}
< {"id":26,"error":{"code":"EINVAL","message":"\"id\" must be an integer"}}
> {"id":27,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","mem_mb":"4G"}}
< {"id":27,"error":{"code":"EINVAL","message":"~mem_mb"}}

# Unknown parameters.
> {"id":28,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpu":1}}
< {"id":28,"error":{"code":"EINVAL","message":"unknown parameter \"gpu\""}}
> {"id":29,"verb":"job.list","params":{"key":"k"}}
< {"id":29,"error":{"code":"EINVAL","message":"unknown parameter \"key\""}}

# Absurd requests.
> {"id":30,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":-1}}
< {"id":30,"error":{"code":"EINVAL","message":"~gpus"}}
> {"id":31,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":1.5}}
< {"id":31,"error":{"code":"EINVAL","message":"~whole GPUs"}}
> {"id":32,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":1e300}}
< {"id":32,"error":{"code":"EINVAL","message":"~gpus"}}
> {"id":33,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":16}}
< {"id":33,"error":{"code":"ENOFIT","message":"needs 16 GPUs; the largest node has 4"}}
> {"id":34,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","mem_mb":1073741824}}
< {"id":34,"error":{"code":"ENOFIT","message":"~^needs .* of memory; the largest node has "}}
> {"id":35,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpu_mem_mb":1000000}}
< {"id":35,"error":{"code":"ENOFIT","message":"~GPU memory on one GPU; the largest GPU has"}}
> {"id":36,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","cpus":1000}}
< {"id":36,"error":{"code":"ENOFIT","message":"~CPUs; the largest node has"}}
> {"id":37,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","gpus":4,"mem_mb":100,"cpus":0.1}}
< {"id":37,"result":{"job":{"id":1,"...":"*"}}}
! wait-state 1 COMPLETED

# Shell metacharacters are passed through literally: no shell is involved.
> {"id":38,"verb":"job.submit","params":{"argv":["/bin/echo","$(id)","; rm -rf /","`whoami`","a\"b","*","$HOME","|","&&","\\n"],"name":"$(reboot); `x` | y","workdir":"/tmp","cpus":0.1,"mem_mb":100}}
< {"id":38,"result":{"job":{"id":2,"name":"$(reboot); `x` | y","argv":["/bin/echo","$(id)","; rm -rf /","`whoami`","a\"b","=*","$HOME","|","&&","\\n"],"...":"*"}}}
! wait-state 2 COMPLETED
> {"id":39,"verb":"job.logs","params":{"id":2}}
< {"id":39,"result":{"data":"$(id) ; rm -rf / `whoami` a\"b * $HOME | && \\n\n","offset":0,"next":"*int","size":"*int","ended":true}}

# A command that does not exist: the job FAILED with the reason, and the
# daemon lives on.
> {"id":40,"verb":"job.submit","params":{"argv":["/nonexistent/command","x"],"workdir":"/tmp","cpus":0.1,"mem_mb":100}}
< {"id":40,"result":{"job":{"id":3,"...":"*"}}}
! wait-state 3 FAILED
> {"id":41,"verb":"job.show","params":{"id":3}}
< {"id":41,"result":{"job":{"id":3,"state":"FAILED","reason":"~/nonexistent/command.*(No such file|not found)","...":"*"}}}
> {"id":42,"verb":"job.submit","params":{"argv":["no-such-command-on-any-path"],"workdir":"/tmp","cpus":0.1,"mem_mb":100}}
< {"id":42,"result":{"job":{"id":4,"...":"*"}}}
! wait-state 4 FAILED
> {"id":43,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/nonexistent/dir","cpus":0.1,"mem_mb":100}}
< {"id":43,"result":{"job":{"id":5,"...":"*"}}}
! wait-state 5 FAILED
> {"id":44,"verb":"job.show","params":{"id":5}}
< {"id":44,"result":{"job":{"id":5,"state":"FAILED","reason":"~/nonexistent/dir","...":"*"}}}
> {"id":45,"verb":"hello"}
< {"id":45,"result":{"proto":1,"...":"*"}}

# Idempotency: the same key twice is the same job, submitted once.
> {"id":46,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","project":"idem","cpus":0.1,"mem_mb":100,"key":"retry-1"}}
< {"id":46,"result":{"job":{"id":6,"project":"idem","state":"PENDING","...":"*"}}}
> {"id":47,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","project":"idem","cpus":0.1,"mem_mb":100,"key":"retry-1"}}
< {"id":47,"result":{"job":{"id":6,"project":"idem","state":"PENDING","...":"*"}}}
! close
> {"id":48,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","project":"idem","cpus":0.1,"mem_mb":100,"key":"retry-1"}}
< {"id":48,"result":{"job":{"id":6,"...":"*"}}}
> {"id":49,"verb":"job.list","params":{"project":"idem","all":true}}
< {"id":49,"result":{"jobs":[{"id":6,"...":"*"}],"total":1,"next":null}}
# Another key is another job; the key of a submit cannot cancel.
> {"id":50,"verb":"job.submit","params":{"argv":["/bin/true"],"workdir":"/tmp","project":"idem","cpus":0.1,"mem_mb":100,"key":"retry-2"}}
< {"id":50,"result":{"job":{"id":7,"...":"*"}}}
> {"id":51,"verb":"job.cancel","params":{"id":7,"key":"retry-1"}}
< {"id":51,"error":{"code":"EINVAL","message":"~another verb"}}

# A client that keeps violating the protocol is disconnected after 100
# errors; nobody else notices.
! close
! repeat 99
> {bad
! repeat 99
< {"id":null,"error":{"code":"EPROTO","...":"*"}}
> {bad
< {"id":null,"error":{"code":"EPROTO","...":"*"}}
! eof
! close
> {"id":52,"verb":"hello"}
< {"id":52,"result":{"proto":1,"...":"*"}}
