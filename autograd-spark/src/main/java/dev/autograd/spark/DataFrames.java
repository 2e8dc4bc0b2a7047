package dev.autograd.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructType;

/**
 * Reads feature and label columns of a DataFrame: a numeric column (one value) or an array of
 * numbers (several). Nulls are errors that name the column.
 */
final class DataFrames {
  private DataFrames() {}

  /** The index of {@code column}, checked to be numeric or an array of numbers. */
  static int numericColumn(StructType schema, String column, String role) {
    if (column == null || column.isEmpty())
      throw new IllegalArgumentException("the " + role + " column name is empty");
    if (!Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException(
          "no "
              + role
              + " column '"
              + column
              + "'; the DataFrame has "
              + Arrays.toString(schema.fieldNames()));
    }
    int i = schema.fieldIndex(column);
    DataType t = schema.fields()[i].dataType();
    boolean ok =
        t instanceof NumericType
            || t instanceof ArrayType && ((ArrayType) t).elementType() instanceof NumericType;
    if (!ok) {
      throw new IllegalArgumentException(
          "the "
              + role
              + " column '"
              + column
              + "' has type "
              + t.simpleString()
              + "; use a numeric column or an array of numbers (e.g. array<float>)");
    }
    return i;
  }

  /** CLASS_INDEX for an integer label column, else VALUES. */
  static LabelKind labelKindOf(StructType schema, String labelCol) {
    DataType t = schema.fields()[numericColumn(schema, labelCol, "label")].dataType();
    boolean integral =
        t instanceof IntegerType
            || t instanceof LongType
            || t instanceof ShortType
            || t instanceof ByteType;
    return integral ? LabelKind.CLASS_INDEX : LabelKind.VALUES;
  }

  /** The values of column {@code i} of {@code row}. */
  static double[] values(Row row, int i, String column) {
    if (row.isNullAt(i))
      throw new IllegalArgumentException(
          "column '" + column + "' is null in row " + row + "; drop or fill nulls first");
    Object v = row.get(i);
    if (v instanceof Number) return new double[] {((Number) v).doubleValue()};
    List<Object> list = row.getList(i);
    double[] out = new double[list.size()];
    for (int j = 0; j < out.length; j++) {
      Object e = list.get(j);
      if (e == null)
        throw new IllegalArgumentException(
            "column '" + column + "' has a null element at " + j + " in row " + row);
      out[j] = ((Number) e).doubleValue();
    }
    return out;
  }

  /** The rows as samples. */
  static JavaRDD<Sample> samples(Dataset<Row> df, String featuresCol, String labelCol) {
    StructType schema = df.schema();
    int fi = numericColumn(schema, featuresCol, "features"),
        li = numericColumn(schema, labelCol, "label");
    if (schema.fields()[li].dataType() instanceof DecimalType)
      throw new IllegalArgumentException(
          "label column '" + labelCol + "' is a decimal; cast it to double or int");
    return df.javaRDD()
        .map(row -> Sample.wrap(values(row, fi, featuresCol), values(row, li, labelCol)));
  }
}
