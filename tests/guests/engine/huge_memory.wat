;; Declares 60000 initial pages (3.7 GiB): far above any instance limit.
(module (memory (export "memory") 60000))
