#include "textflag.h"

// func pairIndex(b []byte) (i int, ok bool)
//
// pairIndexGeneric in SSE2, which every amd64 has: 32 positions
// a step, each compared folded (|0x20) with 'h', and the next byte with
// 'm'; x|0x20 is 'h' only for 'h' and 'H', 'm' only for 'm' and 'M'.
TEXT ·pairIndex(SB), NOSPLIT, $0-33
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), BX
	MOVQ $0x2020202020202020, AX
	MOVQ AX, X7
	PUNPCKLQDQ X7, X7
	MOVQ $0x6868686868686868, AX
	MOVQ AX, X8
	PUNPCKLQDQ X8, X8
	MOVQ $0x6d6d6d6d6d6d6d6d, AX
	MOVQ AX, X9
	PUNPCKLQDQ X9, X9
	XORQ DI, DI

loop:
	LEAQ 33(DI), DX
	CMPQ DX, BX
	JA   stopped
	MOVOU (SI)(DI*1), X0
	MOVOU 1(SI)(DI*1), X1
	MOVOU 16(SI)(DI*1), X2
	MOVOU 17(SI)(DI*1), X3
	POR   X7, X0
	POR   X7, X1
	POR   X7, X2
	POR   X7, X3
	PCMPEQB X8, X0
	PCMPEQB X9, X1
	PCMPEQB X8, X2
	PCMPEQB X9, X3
	PAND  X1, X0
	PAND  X3, X2
	PMOVMSKB X0, AX
	PMOVMSKB X2, CX
	SHLQ  $16, CX
	ORQ   CX, AX
	JNZ   found
	ADDQ  $32, DI
	JMP   loop

found:
	BSFQ AX, AX
	ADDQ DI, AX
	MOVQ AX, i+24(FP)
	MOVB $1, ok+32(FP)
	RET

stopped:
	MOVQ DI, i+24(FP)
	MOVB $0, ok+32(FP)
	RET
