package dev.kiln.ecs;

/** A ScriptVars value: the four kinds the ABI's kiln_var_value carries. */
public sealed interface VarValue {
    int typeCode();

    record F64(double value) implements VarValue {
        public int typeCode() { return 1; }
    }

    record I64(long value) implements VarValue {
        public int typeCode() { return 2; }
    }

    record Bool(boolean value) implements VarValue {
        public int typeCode() { return 3; }
    }

    record V3(Vec3 value) implements VarValue {
        public int typeCode() { return 4; }
    }
}
