#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream(stdout) << "dipwb " << DIPWB_VERSION << "\n";
    return 0;
}
