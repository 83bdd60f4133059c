package dev.kiln.ecs;

/** A ScriptVars value: the four kinds the ABI's kiln_var_value carries. */
public sealed interface VarValue {
    /** KILN_VAR_F64 .. KILN_VAR_VEC3 of kiln.h (AbiCodesTest checks them against it). */
    int CODE_F64 = 1, CODE_I64 = 2, CODE_BOOL = 3, CODE_VEC3 = 4;

    /** The KILN_VAR_* code of this kind of value. */
    int typeCode();

    record F64(double value) implements VarValue {
        public int typeCode() { return CODE_F64; }
    }

    record I64(long value) implements VarValue {
        public int typeCode() { return CODE_I64; }
    }

    record Bool(boolean value) implements VarValue {
        public int typeCode() { return CODE_BOOL; }
    }

    record V3(Vec3 value) implements VarValue {
        public int typeCode() { return CODE_VEC3; }
    }
}
