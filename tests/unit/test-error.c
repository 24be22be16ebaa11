/* test-error.c - struct cimic_error helpers. */
#include "cimic/error.h"
#include "tap.h"

int
main(void)
{
	struct cimic_error err;

	cimic_error_clear(&err);
	is_int(err.code, 0, "cleared error has code 0");
	is_int(cimic_error_set(&err, CIMIC_EDATA, "line %d: bad", 7), -1, "set returns -1");
	is_int(err.code, 65, "code kept");
	is_str(err.msg, "line 7: bad", "message formatted");
	cimic_error_prefix(&err, "import %s", "x.csv");
	is_str(err.msg, "import x.csv: line 7: bad", "prefix added");
	is_int(err.code, 65, "prefix keeps code");
	return done_testing();
}
