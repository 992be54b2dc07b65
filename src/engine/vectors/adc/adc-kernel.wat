;; ADC kernels for product-quantized scans (see ../adc-kernel.ts).
;; Build: node scripts/build-kernels.mjs
(module
  (import "env" "memory" (memory 1))

  ;; out[j*ksub + c] = -sum_d q[j*dsub + d] * ct[(j*dsub + d)*ksub + c]
  ;; ct is the codebook transposed per sub-space, so four centroids share one
  ;; SIMD multiply-add. ksub must be a multiple of 4.
  (func (export "neg_dot_table")
    (param $q i32) (param $ct i32) (param $m i32) (param $dsub i32) (param $ksub i32) (param $out i32)
    (local $kb i32) (local $row i32) (local $o i32) (local $oend i32) (local $r i32)
    (local $d i32) (local $rows i32) (local $qv v128)
    (local.set $kb (i32.shl (local.get $ksub) (i32.const 2)))
    (local.set $rows (i32.mul (local.get $m) (local.get $dsub)))
    (local.set $row (i32.const 0))
    (block $done
      (loop $rowloop
        (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
        ;; row = j*dsub + d; its sub-space's table starts at out + j*kb
        (local.set $d (i32.rem_u (local.get $row) (local.get $dsub)))
        (local.set $o (i32.add (local.get $out)
          (i32.mul (i32.div_u (local.get $row) (local.get $dsub)) (local.get $kb))))
        (local.set $oend (i32.add (local.get $o) (local.get $kb)))
        (local.set $qv (f32x4.splat (f32.neg (f32.load
          (i32.add (local.get $q) (i32.shl (local.get $row) (i32.const 2)))))))
        (local.set $r (i32.add (local.get $ct) (i32.mul (local.get $row) (local.get $kb))))
        (if (i32.eqz (local.get $d))
          (then
            (loop $first
              (v128.store (local.get $o) (f32x4.mul (local.get $qv) (v128.load (local.get $r))))
              (local.set $o (i32.add (local.get $o) (i32.const 16)))
              (local.set $r (i32.add (local.get $r) (i32.const 16)))
              (br_if $first (i32.lt_u (local.get $o) (local.get $oend)))))
          (else
            (loop $rest
              (v128.store (local.get $o)
                (f32x4.add (v128.load (local.get $o)) (f32x4.mul (local.get $qv) (v128.load (local.get $r)))))
              (local.set $o (i32.add (local.get $o) (i32.const 16)))
              (local.set $r (i32.add (local.get $r) (i32.const 16)))
              (br_if $rest (i32.lt_u (local.get $o) (local.get $oend))))))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rowloop))))

  ;; out[i] = sum_j table[j*256 + codes[i*m + j]] for 8-bit codes (ksub 256),
  ;; four independent sums per code. m must be a multiple of 4.
  (func (export "adc_scan_256")
    (param $table i32) (param $codes i32) (param $n i32) (param $m i32) (param $out i32)
    (local $p i32) (local $pend i32) (local $t i32) (local $oend i32)
    (local $s0 f32) (local $s1 f32) (local $s2 f32) (local $s3 f32)
    (local.set $p (local.get $codes))
    (local.set $oend (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $code
        (br_if $done (i32.ge_u (local.get $out) (local.get $oend)))
        (local.set $pend (i32.add (local.get $p) (local.get $m)))
        (local.set $t (local.get $table))
        (local.set $s0 (f32.const 0))
        (local.set $s1 (f32.const 0))
        (local.set $s2 (f32.const 0))
        (local.set $s3 (f32.const 0))
        (loop $sub
          (local.set $s0 (f32.add (local.get $s0) (f32.load
            (i32.add (local.get $t) (i32.shl (i32.load8_u (local.get $p)) (i32.const 2))))))
          (local.set $s1 (f32.add (local.get $s1) (f32.load offset=1024
            (i32.add (local.get $t) (i32.shl (i32.load8_u offset=1 (local.get $p)) (i32.const 2))))))
          (local.set $s2 (f32.add (local.get $s2) (f32.load offset=2048
            (i32.add (local.get $t) (i32.shl (i32.load8_u offset=2 (local.get $p)) (i32.const 2))))))
          (local.set $s3 (f32.add (local.get $s3) (f32.load offset=3072
            (i32.add (local.get $t) (i32.shl (i32.load8_u offset=3 (local.get $p)) (i32.const 2))))))
          (local.set $t (i32.add (local.get $t) (i32.const 4096)))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (br_if $sub (i32.lt_u (local.get $p) (local.get $pend))))
        (f32.store (local.get $out)
          (f32.add (f32.add (local.get $s0) (local.get $s1)) (f32.add (local.get $s2) (local.get $s3))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $code))))
)
