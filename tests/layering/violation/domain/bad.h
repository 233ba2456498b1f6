// Deliberately breaks the layering (domain/ may not include storage/): the checker must fail.
#include "storage/database.h"
